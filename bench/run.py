#!/usr/bin/env python
"""Page benchmarks on synthetic data at scale. See bench/README.md.

    python bench/run.py --people 100000 --db sqlite --out bench/results/sqlite-100000.json
    python bench/run.py --people 100000 --db postgres --out bench/results/postgres-100000.json

Seeds a dedicated database with `manage.py seed_demo --people N` (or reuses it when it
already holds N people), then times pages rendered by Django's test client: the server
time of each request (middleware, views, queries, templates), without any network.
"""

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlencode

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("search", "my_work", "my_work_supervisor", "detail", "finance", "me_dashboard",
         "me_dashboard_all", "stats_quarter", "stats_year", "stats_year_public",
         "bulletin_quarter", "bulletin_year")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--people", type=int, required=True, help="people in the database")
    p.add_argument("--db", choices=["sqlite", "postgres"], required=True,
                   help="sqlite: var/bench/retorno-N.sqlite3; postgres: the database named "
                        "by the RETORNO_DB_* environment variables")
    p.add_argument("--out", type=Path, help="write the results here (JSON)")
    p.add_argument("--requests", type=int, default=200, help="timed requests per page")
    p.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    p.add_argument("--user", default="berlin.caseworker",
                   help="the caseworker whose pages are timed")
    p.add_argument("--supervisor", default="berlin.supervisor",
                   help="a supervisor of the same office (My work with approvals waiting)")
    p.add_argument("--finance-user", default="berlin.programme",
                   help="whose finance overview is timed (a programme manager)")
    p.add_argument("--me-user", default="baghdad.monitoring",
                   help="whose M&E dashboard is timed (an M&E officer)")
    p.add_argument("--stats-user", default="berlin.programme",
                   help="whose statistics dashboard is timed, and who builds the bulletins "
                        "(a programme manager)")
    p.add_argument("--builds", type=int, default=3,
                   help="bulletins built per period (each timed; the first draws the charts)")
    p.add_argument("--pages", default=",".join(PAGES),
                   help="comma-separated subset of the pages to time: " + ", ".join(PAGES))
    p.add_argument("--reset", action="store_true",
                   help="empty the database first and seed it again, even when it holds "
                        "the number of people asked (without this flag a PostgreSQL "
                        "database holding more people is refused)")
    p.add_argument("--seed", type=int, default=1, help="random seed for the request mix")
    return p.parse_args(argv)


def configure(args: argparse.Namespace) -> None:
    """Point the settings at the benchmark database, before Django starts."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
    # Measure as in production: no query log, no debug pages.
    os.environ["RETORNO_DEBUG"] = "False"
    # The test client speaks plain HTTP: no redirect to HTTPS (a proxy's job in production).
    os.environ["RETORNO_SSL_REDIRECT"] = "False"
    os.environ["RETORNO_DB"] = args.db
    if args.db == "sqlite":
        path = ROOT / "var" / "bench" / f"retorno-{args.people}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.reset:  # ours (var/bench): made again from the migrations
            for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
                (path.parent / name).unlink(missing_ok=True)
        os.environ["RETORNO_SQLITE_PATH"] = str(path)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ---- the database -----------------------------------------------------------------------


def prepare(args: argparse.Namespace, log) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from retorno.demo import world
    from retorno.people.models import Person
    from retorno.surveys.models import SurveyResponse

    call_command("migrate", verbosity=0, interactive=False)
    count = Person.objects.count()
    info: dict = {"seeded_in_this_run": False, "seconds": None}
    if count and not world.base_exists():
        sys.exit(f"error: {connection.settings_dict['NAME']} holds {count:,} people but no "
                 "demo data: not a benchmark database, refusing to touch it.")
    if count == args.people and not args.reset:
        log(f"Reusing {connection.settings_dict['NAME']}: it holds {count:,} people.")
        if not SurveyResponse.objects.filter(submission_id__startswith="bulk-").exists():
            log("  note: its synthetic cases have no survey responses (seeded before the "
                "bulk data had them): the M&E dashboard is timed nearly empty. Pass --reset "
                "to seed it again.")
        return info
    if count and args.reset:  # PostgreSQL (a SQLite file was deleted in `configure`)
        log(f"Emptying {connection.settings_dict['NAME']} ({count:,} people).")
        call_command("flush", verbosity=0, interactive=False)
        count = 0
    if count > args.people:
        if args.db == "postgres" and not args.reset:
            sys.exit(f"error: {connection.settings_dict['NAME']} holds {count:,} people, more "
                     f"than {args.people:,}. Use another database or pass --reset to empty it.")
        log(f"Emptying {connection.settings_dict['NAME']} ({count:,} people).")
        call_command("flush", verbosity=0, interactive=False)
    log(f"Seeding {connection.settings_dict['NAME']} up to {args.people:,} people...")
    started = time.monotonic()
    call_command("seed_demo", people=args.people, stdout=_Lines(log))
    info.update(seeded_in_this_run=True, seconds=round(time.monotonic() - started, 1),
                started_from_people=count)
    # Time the pages on a fresh connection, as a server process would have, not on the
    # one the load tuned.
    connection.close()
    log(f"Seeded in {info['seconds']} s.")
    return info


class _Lines:
    """A file-like object that sends seed_demo's progress to the log, minus the logins."""

    def __init__(self, log):
        self.log = log
        self.quiet = False

    def write(self, text: str) -> None:
        for line in text.rstrip("\n").splitlines():
            if line.startswith("Demo logins"):
                self.quiet = True
            if not self.quiet:
                self.log(line)

    def flush(self) -> None:
        pass


def row_counts() -> dict:
    from retorno.accounts.models import Office, User
    from retorno.cases.models import Case, CaseMember, TimelineEntry
    from retorno.people.models import Person
    from retorno.privacy.models import AuditEvent
    from retorno.surveys.models import DimensionScore, SurveyResponse

    return {name: model.objects.count() for name, model in (
        ("people", Person), ("cases", Case), ("case_members", CaseMember),
        ("timeline_entries", TimelineEntry), ("audit_events", AuditEvent),
        ("survey_responses", SurveyResponse), ("dimension_scores", DimensionScore),
        ("users", User), ("offices", Office))}


def database_info() -> dict:
    from django.db import connection

    info = {"vendor": connection.vendor, "name": str(connection.settings_dict["NAME"])}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            info["version"] = cursor.fetchone()[0]
            info["settings"] = {}
            for name in ("shared_buffers", "work_mem", "effective_cache_size", "fsync",
                         "synchronous_commit", "jit", "random_page_cost", "lc_ctype"):
                cursor.execute(f"SHOW {name}")
                info["settings"][name] = cursor.fetchone()[0]
            cursor.execute("SELECT attstattarget FROM pg_attribute WHERE attname = 'search_text' "
                           "AND attrelid = 'people_person'::regclass")
            info["search_text_statistics"] = cursor.fetchone()[0]
        else:
            cursor.execute("select sqlite_version()")
            info["version"] = cursor.fetchone()[0]
            cursor.execute("PRAGMA journal_mode")
            info["settings"] = {"journal_mode": cursor.fetchone()[0]}
            cursor.execute("select count(*) from sqlite_master where name = 'sqlite_stat1'")
            info["settings"]["analyzed"] = bool(cursor.fetchone()[0])
            cursor.execute("select count(*) from sqlite_master where name = 'people_person_fts'")
            info["search_index"] = "fts5 trigram" if cursor.fetchone()[0] else None
            size = Path(connection.settings_dict["NAME"]).stat().st_size
            info["file_mb"] = round(size / 2**20)
    return info


def code_version() -> dict:
    """The commit measured, and whether the working tree had uncommitted changes."""
    import subprocess

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,  # noqa: S603, S607
                                  timeout=10, check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "HEAD") or None,
            "uncommitted_changes": bool(git("status", "--porcelain"))}


def machine_info() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu_model": cpu, "memory_gb": memory_gb,
            "platform": platform.platform()}


# ---- what to request --------------------------------------------------------------------


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def search_queries(rng: random.Random) -> list[str]:
    """Name fragments as caseworkers type them: Latin given and family names, whole or
    cut short, lower case, without accents; names in Arabic, Cyrillic and Georgian
    script; given plus family name; a name that matches nobody."""
    from retorno.demo.names import POOLS

    queries: list[str] = []
    for pool in POOLS.values():
        given = rng.sample(pool.male + pool.female, 2)
        family = rng.sample(pool.family, 2)
        queries.append(given[0].latin)
        queries.append(family[0].male.latin[: max(4, len(family[0].male.latin) - 2)].lower())
        queries.append(f"{given[1].latin} {family[1].male.latin}")
        if given[0].original:
            queries.append(given[0].original)
            queries.append(family[1].male.original)
    # Typed without the accents the names carry, and a script variant of Arabic.
    queries += ["Cisse", "Toure", "Aissatou", "Ndeye", "Sene", "Marieme", "احمد", "فاطمه"]
    queries += ["Smith-Nonexistent"]
    seen: set[str] = set()
    return [q for q in queries if not (q in seen or seen.add(q))]


def case_references(user, rng: random.Random, n: int) -> list[str]:
    """`n` cases `user` may see, open and closed, demo and synthetic."""
    from retorno.cases.policy import visible_cases

    ids = list(visible_cases(user).values_list("id", flat=True))
    if not ids:
        sys.exit(f"error: {user} sees no cases")
    chosen = rng.sample(ids, min(n, len(ids)))
    from retorno.cases.models import Case

    refs = dict(Case.objects.filter(id__in=chosen).values_list("id", "reference"))
    return [refs[i] for i in chosen]


def me_data(user, *, all_responses: bool) -> dict:
    """How much the M&E dashboard of `user` aggregates: the survey responses it reads
    (every one, or the latest per case) and the cases they belong to."""
    from retorno.cases.policy import visible_cases
    from retorno.surveys.models import Purpose, SurveyResponse

    responses = SurveyResponse.objects.filter(
        case__in=visible_cases(user), version__instrument__purpose=Purpose.SUSTAINABILITY)
    cases = responses.values("case_id").distinct().count()
    return {"survey_responses_read": responses.count() if all_responses else cases,
            "surveyed_cases": cases}


def last_period(span: str):
    """The last complete quarter, or the last complete calendar year."""
    from django.utils import timezone

    from retorno.reports.forms import last_quarter
    from retorno.reports.statistics import Period

    today = timezone.localdate()
    return last_quarter(today) if span == "quarter" else Period.year(today.year - 1)


def stats_data(period) -> dict:
    """How much a statistics page of `period` counts."""
    from retorno.reports.models import AssistedReturn
    from retorno.reports.statistics import compute

    summary = compute(period)
    return {"period": [period.start.isoformat(), period.end.isoformat()],
            "individuals": summary.individuals, "cases": summary.cases,
            "assisted_return_rows_in_period": AssistedReturn.objects.filter(
                departed_on__gte=period.start, departed_on__lte=period.end).count(),
            "assisted_return_rows": AssistedReturn.objects.count()}


def time_bulletin(user, period, builds: int, log, name: str) -> dict:
    """Build the bulletin of `period` `builds` times, as the page would ask for it, in the
    foreground (`reports.jobs.run`): figures, charts and maps, HTML and PDF."""
    from django.test import override_settings

    from retorno.reports.jobs import request_report
    from retorno.reports.models import ReportStatus

    times, pages, sizes = [], [], []
    with override_settings(RETORNO_REPORTS_BACKGROUND=False):
        for _k in range(builds):
            started = time.perf_counter()
            report = request_report(actor=user, kind="bulletin",
                                    parameters={"start": period.start.isoformat(),
                                                "end": period.end.isoformat()})
            times.append((time.perf_counter() - started) * 1000)
            if report.status != ReportStatus.DONE:
                raise SystemExit(f"error: the bulletin failed: {report.error}")
            content = report.pdf.read()
            pages.append(content.count(b"/Type /Page") - content.count(b"/Type /Pages"))
            sizes.append(len(content))
    result = summary(times)
    result.update(first_ms=round(times[0], 2), pdf_kb=round(statistics.fmean(sizes) / 1024),
                  period=[period.start.isoformat(), period.end.isoformat()],
                  individuals=report.snapshot["headlines"][0]["value"])
    log(f"  {name:20} first {times[0]:8.1f} ms   p50 {result['p50_ms']:8.1f} ms   "
        f"({builds} builds, {result['pdf_kb']} KB PDF)")
    return result


# ---- timing -----------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def summary(times_ms: list[float]) -> dict:
    s = sorted(times_ms)
    return {"n": len(s), "p50_ms": round(statistics.median(s), 2),
            "p95_ms": round(percentile(s, 95), 2), "mean_ms": round(statistics.fmean(s), 2),
            "min_ms": round(s[0], 2), "max_ms": round(s[-1], 2)}


def time_page(client, urls: list[str], requests: int, warmup: int, log, name: str) -> dict:
    """GET the urls round-robin: `warmup` untimed, then `requests` timed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get(url: str):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"error: GET {url} answered {response.status_code}")
        return response

    for i in range(warmup):
        get(urls[i % len(urls)])
    times: list[float] = []
    per_url: dict[str, list[float]] = {}
    size = 0
    for i in range(requests):
        url = urls[i % len(urls)]
        started = time.perf_counter()
        response = get(url)
        elapsed = (time.perf_counter() - started) * 1000
        times.append(elapsed)
        per_url.setdefault(url, []).append(elapsed)
        size += len(response.content)
    # Queries per request, counted apart from the timed runs (counting costs time).
    queries = []
    for url in urls[: min(len(urls), 20)]:
        with CaptureQueriesContext(connection) as captured:
            get(url)
        queries.append(len(captured))
    result = summary(times)
    result.update(distinct_urls=len(per_url), mean_kb=round(size / requests / 1024, 1),
                  queries_median=statistics.median(queries), queries_max=max(queries))
    slowest = sorted(per_url.items(), key=lambda kv: -statistics.median(kv[1]))[:5]
    result["slowest_urls"] = [{"url": unquote(u), "p50_ms": round(statistics.median(t), 2)}
                              for u, t in slowest]
    log(f"  {name:20} p50 {result['p50_ms']:8.1f} ms   p95 {result['p95_ms']:8.1f} ms   "
        f"mean {result['mean_ms']:8.1f} ms   {result['queries_median']:.0f} queries")
    return result


def _earlier_seed(args: argparse.Namespace) -> dict | None:
    """How long seeding took, from the results file this run replaces (same database and
    number of people), so reusing a database keeps the seeding time on record."""
    from django.db import connection

    try:
        earlier = json.loads(args.out.read_text()) if args.out else None
    except (OSError, ValueError):
        return None
    if not earlier or earlier.get("people_requested") != args.people \
            or earlier.get("database", {}).get("name") != str(connection.settings_dict["NAME"]):
        return None
    seed = earlier.get("seed") or {}
    if seed.get("seeded_in_this_run"):
        return {**{k: v for k, v in seed.items() if k != "seeded_in_this_run"},
                "at": earlier.get("timestamp")}
    return seed.get("earlier_seed")


def run(args: argparse.Namespace, log=print) -> dict:
    configure(args)
    import django
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from retorno.accounts.models import User
    from retorno.cases.models import OPEN, Case

    seed_info = prepare(args, log)
    if not seed_info["seeded_in_this_run"]:
        seed_info["earlier_seed"] = _earlier_seed(args)
    rng = random.Random(args.seed)
    user = User.objects.get(username=args.user)
    supervisor = User.objects.get(username=args.supervisor)
    pages = set(args.pages.split(","))

    client = Client()
    client.force_login(user)
    results: dict = {}
    log(f"Timing pages as {user.username} ({args.warmup} warm-up + {args.requests} timed "
        "requests each):")
    if "search" in pages:
        queries = search_queries(rng)
        urls = [f"{reverse('cases:search')}?{urlencode({'q': q})}" for q in queries]
        results["search"] = time_page(client, urls, args.requests, args.warmup, log,
                                      "search ?q=<name>")
        results["search"]["queries"] = queries
    if "my_work" in pages:
        results["my_work"] = time_page(client, [reverse("cases:my_work")], args.requests,
                                       args.warmup, log, "my work /")
        results["my_work"]["open_assigned_cases"] = Case.objects.filter(
            assignee=user, status__in=OPEN).count()
    if "detail" in pages:
        refs = case_references(user, rng, max(50, args.requests // 2))
        urls = [reverse("cases:detail", args=[r]) for r in refs]
        results["detail"] = time_page(client, urls, args.requests, args.warmup, log,
                                      "case /cases/<ref>/")
    if "my_work_supervisor" in pages:
        sup_client = Client()
        sup_client.force_login(supervisor)
        results["my_work_supervisor"] = time_page(
            sup_client, [reverse("cases:my_work")], args.requests, args.warmup, log,
            "my work (supervisor)")
    if "finance" in pages:
        finance_client = Client()
        finance_client.force_login(User.objects.get(username=args.finance_user))
        results["finance"] = time_page(
            finance_client, [reverse("programme_finance:overview")], args.requests,
            args.warmup, log, "finance overview /finance/")
    me_pages = {"me_dashboard": ({}, "M&E dashboard"),
                "me_dashboard_all": ({"responses": "all"}, "M&E dash., all resp.")}
    if pages & set(me_pages):
        me_user = User.objects.get(username=args.me_user)
        me_client = Client()
        me_client.force_login(me_user)
        for page, (query, label) in me_pages.items():
            if page not in pages:
                continue
            url = reverse("monitoring:dashboard")
            results[page] = time_page(me_client, [f"{url}?{urlencode(query)}" if query
                                                  else url],
                                      args.requests, args.warmup, log, label)
            results[page].update(me_data(me_user, all_responses=bool(query)))

    stats_pages = {"stats_quarter": ("quarter", False), "stats_year": ("year", False),
                   "stats_year_public": ("year", True)}
    if pages & set(stats_pages):
        stats_client = Client()
        stats_client.force_login(User.objects.get(username=args.stats_user))
        for page, (span, public) in stats_pages.items():
            if page not in pages:
                continue
            period = last_period(span)
            query = {"start": period.start.isoformat(), "end": period.end.isoformat(),
                     **({"public": "on"} if public else {})}
            results[page] = time_page(
                stats_client, [f"{reverse('reports:dashboard')}?{urlencode(query)}"],
                max(10, args.requests // 10), max(2, args.warmup // 10), log,
                f"statistics, {span}{' (pub.)' if public else ''}")
            results[page].update(stats_data(period))
    for page, span in (("bulletin_quarter", "quarter"), ("bulletin_year", "year")):
        if page in pages:
            results[page] = time_bulletin(User.objects.get(username=args.stats_user),
                                          last_period(span), args.builds, log, page)

    return {
        "benchmark": "retorno page server time (django.test.Client, no network)",
        "timestamp": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "people_requested": args.people,
        "rows": row_counts(),
        "database": database_info(),
        "seed": seed_info,
        "python": platform.python_version(),
        "django": django.get_version(),
        "code": code_version(),
        "debug": settings.DEBUG,
        "machine": machine_info(),
        "user": user.username,
        "supervisor": supervisor.username,
        "me_user": args.me_user,
        "warmup_per_page": args.warmup,
        "requests_per_page": args.requests,
        "pages": results,
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)

    def log(message: str) -> None:
        print(message, flush=True)

    result = run(args, log)
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
        log(f"Results written to {args.out}")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
