"""Timeline of creation: when each mechanism was founded, and the dated events that followed.

The founding table answers "how crowded did the field become, and when" (cumulative count of mechanisms and of
those with all six LMC countries as members); the events table adds later joins and dated programmes.
"""

from __future__ import annotations

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.mechanisms.frames import RegistryLike, as_frames
from lmc.mechanisms.results import TimelineResult


def timeline(registry: RegistryLike) -> TimelineResult:
    """Mechanisms ordered by founding year, with cumulative counts; plus joins after founding and programmes."""
    f = as_frames(registry)
    mech = f.mechanisms
    mem = f.members[(f.members["kind"] == "country") & f.members["left"].isna()]
    lmc_n = mem[mem["member"].isin(list(LMC_COUNTRIES))].groupby("mechanism").size()
    dated = mech[mech["founded"].notna()].copy()
    dated["lmc_members"] = dated["mechanism"].map(lmc_n).fillna(0).astype(int)
    dated = dated.sort_values(["founded", "mechanism"], kind="stable").reset_index(drop=True)
    dated["cumulative"] = range(1, len(dated) + 1)
    dated["cumulative_all_six"] = (dated["lmc_members"] == len(LMC_COUNTRIES)).cumsum()
    founding = dated[["founded", "mechanism", "abbreviation", "name_en", "type", "status", "founding_document",
                      "lmc_members", "cumulative", "cumulative_all_six", "source_url"]].rename(
        columns={"founded": "year"})
    founding["year"] = founding["year"].astype(int)

    founded = mech.set_index("mechanism")["founded"]
    abbr = mech.set_index("mechanism")["abbreviation"]
    rows = []
    for r in mech.itertuples(index=False):
        if pd.notna(r.founded):
            rows.append({"year": int(r.founded), "mechanism": r.mechanism, "event": "founded",
                         "detail": f"{r.abbreviation} founded", "source_url": r.source_url})
    for r in f.members[f.members["kind"] != "partner"].itertuples(index=False):
        fy = founded.get(r.mechanism)
        if pd.notna(r.joined) and pd.notna(fy) and int(r.joined) > int(fy):
            rows.append({"year": int(r.joined), "mechanism": r.mechanism, "event": "joined",
                         "detail": f"{r.member} joins {abbr[r.mechanism]}", "source_url": r.source_url})
        if pd.notna(r.left):
            rows.append({"year": int(r.left), "mechanism": r.mechanism, "event": "left",
                         "detail": f"{r.member} leaves {abbr[r.mechanism]}", "source_url": r.source_url})
    for r in f.programmes.itertuples(index=False):
        if pd.notna(r.year):
            rows.append({"year": int(r.year), "mechanism": r.mechanism, "event": "programme",
                         "detail": f"{abbr[r.mechanism]}: {r.programme}", "source_url": r.source_url})
    for r in mech[(mech["status"] == "dormant") & mech["last_activity"].notna()].itertuples(index=False):
        rows.append({"year": int(r.last_activity), "mechanism": r.mechanism, "event": "last activity",
                     "detail": f"{r.abbreviation}: last recorded activity", "source_url": r.source_url})
    kinds = {"founded": 0, "joined": 1, "left": 2, "programme": 3, "last activity": 4}
    events = pd.DataFrame(rows, columns=["year", "mechanism", "event", "detail", "source_url"])
    events = (events.assign(_k=events["event"].map(kinds)).sort_values(["year", "_k", "mechanism"], kind="stable")
              .drop(columns="_k").reset_index(drop=True))
    undated = tuple(mech.loc[mech["founded"].isna(), "mechanism"].astype(str))
    return TimelineResult(founding.reset_index(drop=True), events, undated)
