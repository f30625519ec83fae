import duckdb
import pytest

from communique.store.filters import IN_LIST_MAX, one_of


@pytest.mark.parametrize("n", [0, 1, 3, IN_LIST_MAX, IN_LIST_MAX + 1, 500])
def test_one_of_keeps_exactly_the_listed_rows_whichever_form_it_takes(n):
    con = duckdb.connect()
    con.execute("CREATE TABLE t (id VARCHAR PRIMARY KEY)")
    con.execute("INSERT INTO t SELECT 'id' || range FROM range(1000)")
    wanted = [f"id{i}" for i in range(0, 2 * n, 2)] + ["not there"] * (n > 0)
    clause, params = one_of("id", wanted)
    assert ("IN (" in clause) == (0 < len(wanted) <= IN_LIST_MAX)
    got = sorted(r[0] for r in con.execute(f"SELECT id FROM t WHERE {clause}", params).fetchall())
    assert got == sorted(w for w in wanted if w != "not there")


def test_one_of_binds_values_never_splices_them():
    clause, params = one_of("id", ["x') OR 1=1 --"])
    assert "x'" not in clause and params == ["x') OR 1=1 --"]
