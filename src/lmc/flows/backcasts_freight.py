"""The freight route-choice model's back-casts in the registry of :mod:`lmc.flows.validation` (``lmc scenario
validate`` writes them to ``validation.csv`` with the others; freight scenarios are gated on them).

``freight_2023``: calibrated on 2023, the model predicts cross-border railway tonnes in 2022, 2024 and 2025, road
freight through Mohan in 2022 and the Land-Sea Corridor's containers in 2024 and 2025 from each year's observed
conditions (:mod:`lmc.freight.backcast`); each passes when the observation lies inside the 90% band. A freight draw
costs microseconds, so the check uses at least :data:`lmc.freight.model.DEFAULT_DRAWS` draws whatever ``--draws``
asks (a 300-draw band would move with the seed).
"""

from __future__ import annotations

from lmc.flows.validation import BackCastContext, BackCastRow, back_cast


def _explain(event: str, lang: str) -> str:
    from lmc.freight import backcast

    check = next((c for c in backcast.CHECKS if c.event == event), None)
    return "" if check is None else backcast.explanation(check, lang)


@back_cast("freight_2023", model="freight", title="Freight volumes 2022, 2024 and 2025 from a 2023 calibration",
           explain=_explain)
def freight_2023(ctx: BackCastContext) -> list[BackCastRow]:
    from lmc.freight import backcast
    from lmc.freight.model import DEFAULT_DRAWS, fit

    model = fit(n=max(ctx.n_draws, DEFAULT_DRAWS), seed=ctx.seed)
    rows = []
    for r in backcast.run(model):
        why = "" if r.passed else _explain(r.event, "en")
        rows.append(BackCastRow(event=r.event, calibration=f"{r.calibration_year} volumes; conditions of {r.year} "
                                                           "imposed",
                                quantity=r.target, unit=r.unit, predicted_median=r.predicted_median,
                                predicted_p05=r.predicted_p5, predicted_p95=r.predicted_p95, observed=r.observed,
                                source=r.source, passed=r.passed,
                                note="; ".join(x for x in (r.note, f"{model.n:,} calibrated draws", why) if x)))
    return rows
