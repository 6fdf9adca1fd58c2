"""The grade follows MDN Observatory's scale: strong headers get A+, none get F, APIs skip page-only tests."""

from __future__ import annotations

from launchready.checks.secure_delivery.header_grade import GradeInput, grade_headers, letter

STRONG = (
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload"),
    ("Content-Security-Policy", "default-src 'self'; object-src 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Set-Cookie", "__Host-session=x; Secure; HttpOnly; SameSite=Lax; Path=/"),
)


def test_strong_headers_score_a_plus_with_bonuses() -> None:
    graded = grade_headers(GradeInput(STRONG, api_host=False, redirects_to_https=True))
    assert graded.grade == "A+"
    assert graded.score == 115  # 100 + frame-ancestors via CSP, private referrer, protected cookies
    assert {t["test"] for t in graded.tests} == {
        "framing-via-csp",
        "referrer-policy-private",
        "cookies-all-protected",
    }


def test_no_headers_and_no_redirect_is_f() -> None:
    graded = grade_headers(GradeInput((), api_host=False, redirects_to_https=False))
    assert graded.score == 100 - 25 - 20 - 20 - 20 - 5
    assert graded.grade == "F"
    assert letter(graded.score) == graded.grade
    assert letter(85) == "A-" and letter(70) == "B" and letter(24) == "F"


def test_bonuses_do_not_apply_below_ninety() -> None:
    headers = (("Referrer-Policy", "no-referrer"), ("X-Content-Type-Options", "nosniff"))
    graded = grade_headers(GradeInput(headers, api_host=False))
    points = [t["points"] for t in graded.tests]
    assert points and all(isinstance(p, int) and p < 0 for p in points)


def test_api_host_is_not_penalised_for_page_only_headers() -> None:
    headers = (("Strict-Transport-Security", "max-age=63072000"), ("X-Content-Type-Options", "nosniff"))
    assert grade_headers(GradeInput(headers, api_host=True)).score == 100
    assert grade_headers(GradeInput(headers, api_host=False)).score == 55


def test_open_cors_costs_fifty_points() -> None:
    open_cors = grade_headers(GradeInput(STRONG, api_host=False, cors_open=True))
    assert open_cors.score == 50 and open_cors.grade == "C"
