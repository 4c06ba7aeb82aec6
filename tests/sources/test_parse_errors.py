"""Bad input fails loudly: a ParseError naming the file, the line and the column (or field)."""

from __future__ import annotations

import pytest

from lmc.errors import ParseError
from lmc.sources import (
    cepii_geodist,
    china_railway_stations,
    openflights,
    passport_index,
    thailand_mots_arrivals,
)
from lmc.sources._common import read_csv, to_float

STATIONS = "rail_bus/china_railway_stations_osm.csv"


def _stations(path):
    return china_railway_stations.SOURCE.parse({STATIONS: path})


def test_truncated_file_names_the_last_line(copy_of):
    path = copy_of(STATIONS)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2].rsplit(b",", 1)[0])  # cut inside the last record
    with pytest.raises(ParseError) as err:
        _stations(path)
    msg = str(err.value)
    assert str(path) in msg and "line" in msg
    line = int(msg.split("line ")[1].split(":")[0].split(",")[0])
    assert line == path.read_bytes().count(b"\n") + 1


def test_truncated_headerless_file_is_caught_too(copy_of):
    rel = "openflights/routes.dat"
    path = copy_of(rel)
    data = path.read_bytes()
    path.write_bytes(data[:100_003])  # mid-record
    with pytest.raises(ParseError, match=r"routes\.dat: line \d+"):
        read_csv(path, header=False, names=["a", "b", "c", "d", "e", "f", "g", "h", "i"], na_values=("", "\\N"))


def test_missing_column_is_named(copy_of):
    path = copy_of(STATIONS)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("station_name,lon,lat", "station_name,lon,latitude", 1), encoding="utf-8")
    with pytest.raises(ParseError, match=r"line 1: missing column 'lat'"):
        _stations(path)


def test_flipped_byte_that_breaks_utf8_names_the_line(copy_of):
    path = copy_of(STATIONS)
    data = bytearray(path.read_bytes())
    at = data.index("琅勃拉邦".encode()) + 1  # inside a multi-byte character
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    expected_line = data[:at].count(b"\n") + 1
    with pytest.raises(ParseError, match=rf"line {expected_line}: bytes are not valid utf-8"):
        _stations(path)


def test_non_numeric_value_names_line_and_column(copy_of):
    path = copy_of(STATIONS)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    name, lon, lat = lines[10].rstrip("\n").split(",")
    lines[10] = f"{name},{lon},north\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ParseError, match=r"line 11, column 'lat': 'north' is not a number"):
        _stations(path)


def test_to_float_reports_the_first_bad_row(tmp_path):
    p = tmp_path / "synthetic_values.csv"
    p.write_text("a,b\n1,2\n3,x\n", encoding="utf-8")
    df = read_csv(p, columns=["a", "b"])
    with pytest.raises(ParseError, match=r"line 3, column 'b': 'x' is not a number"):
        to_float(df, "b", p)


def test_unknown_visa_code_names_file_line_and_column(copy_of):
    rel = "passport_index/passport_index_tidy_iso3_2024-07-02.csv"
    path = copy_of(rel)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5].rsplit(",", 1)[0] + ",visa maybe\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ParseError, match=r"line 6, column 'requirement': unknown visa requirement 'visa maybe'"):
        passport_index._read_snapshot(path, "2024-07-02")


def test_wrong_third_header_is_refused(copy_of):
    rel = "passport_index/passport_index_tidy_iso3_2024-07-02.csv"
    path = copy_of(rel)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Passport,Destination,Requirement", "Passport,Destination,Status", 1), encoding="utf-8"
    )
    with pytest.raises(ParseError, match=r"line 1: third column is 'Status'"):
        passport_index._read_snapshot(path, "2024-07-02")


def test_semicolon_file_with_a_missing_distance(copy_of):
    path = copy_of("cepii_geodist/dist_cepii_lmc.csv")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[3].split(";")
    fields[10] = ""  # dist
    lines[3] = ";".join(fields)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ParseError, match=r"line 4, column 'dist': value is missing"):
        cepii_geodist._dist(path)


def test_corrupt_spreadsheet_is_refused(copy_of):
    rel = "tourism_bilateral/thailand_mots/2020_TH_no_of_arrival.xlsx"
    paths = {f.path: copy_of(f.path) for f in thailand_mots_arrivals.SOURCE.files}
    data = paths[rel].read_bytes()
    paths[rel].write_bytes(data[: len(data) // 3])
    with pytest.raises(ParseError, match=r"2020_TH_no_of_arrival\.xlsx: not a readable spreadsheet"):
        thailand_mots_arrivals.SOURCE.parse(paths)


def test_a_missing_local_file_is_named():
    with pytest.raises(ParseError, match=r"no local file given for 'openflights/airports\.dat'"):
        openflights.SOURCE.parse({})
