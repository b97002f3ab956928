"""bench/run's verdicts: with bakerydemo measured in the same run, the cold and uncached pages are held to twice
its blog post's mean; without it, to the fixed reference figure (bench/run itself is run by hand; this keeps its
verdict honest)."""

from bench.runner import BAKERYDEMO, FLOOR, UNCACHED_TARGET_RPS, Result, bakerydemo_reference, report


def row(endpoint, mode, rps, connections=50):
    return Result(endpoint=endpoint, mode=mode, connections=connections, rps=rps, p50=0.02, p99=0.05, errors=0)


def verdicts(capsys, results):
    report(results, ["cold", "uncached"])
    lines = capsys.readouterr().out.splitlines()
    return {line.split("  ", 1)[1]: line[:4] for line in lines if line[:4] in ("PASS", "FAIL")}


def test_the_reference_is_the_mean_of_bakerydemos_blog_post_runs():
    results = [row("blog post", BAKERYDEMO, 80), row("home", BAKERYDEMO, 40), row("blog post", BAKERYDEMO, 100)]
    assert bakerydemo_reference(results) == 90
    assert bakerydemo_reference([row("blog post", "cold", 500)]) is None


def test_pages_are_held_to_twice_bakerydemos_blog_post_in_the_same_run(capsys):
    results = [
        row("blog post", BAKERYDEMO, 80),
        row("home", BAKERYDEMO, 40),
        row(FLOOR, "cold", 3000),
        row("home", "cold", 185),
        row("product", "cold", 170),
        row(FLOOR, "uncached", 3000),
        row("product", "uncached", 1000),
        row("blog post", BAKERYDEMO, 100),
    ]
    found = verdicts(capsys, results)
    assert found == {
        "cold home at 50 connections: 185 req/s, 2.06x bakerydemo's blog post (>= 2x)": "PASS",
        "cold product at 50 connections: 170 req/s, 1.89x bakerydemo's blog post (>= 2x)": "FAIL",
        "uncached product at 50 connections: 1000 req/s, 11.11x bakerydemo's blog post (>= 2x)": "PASS",
    }


def test_bakerydemos_rows_are_listed_without_a_floor_ratio(capsys):
    report([row("blog post", BAKERYDEMO, 90), row(FLOOR, "cold", 3000), row("home", "cold", 300)], ["cold"])
    table = capsys.readouterr().out
    assert "blog post   bakerydemo    50      90.0     20.0     50.0       0        -" in table
    assert "home        cold          50     300.0     20.0     50.0       0     0.10" in table
    assert "bakerydemo's blog post in this run: 90 req/s; mean 90.0" in table


def test_without_bakerydemo_the_fixed_reference_figure_is_the_target(capsys):
    results = [row(FLOOR, "cold", 3000), row("blog post", "cold", UNCACHED_TARGET_RPS - 1)]
    found = verdicts(capsys, results)
    assert list(found.values()) == ["FAIL"]
    assert list(found)[0].startswith(f"cold blog post at 50 connections: 179 req/s (>= {UNCACHED_TARGET_RPS}")
