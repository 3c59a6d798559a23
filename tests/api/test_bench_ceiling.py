"""
The benchmark build's ceiling route (GET /bench/ceiling, issue 8) must not
exist in the normal binary: it is compiled only with `make BENCH=1`
(-DPARLEY_BENCH, objects in build-bench/). bench/run.sh exercises the
route itself on the benchmark build.
"""


def test_ceiling_route_is_absent_from_the_normal_build(server):
    r = server.get("/bench/ceiling?bytes=1024")
    assert r.status_code == 404
    r = server.get("/bench/ceiling")
    assert r.status_code == 404
