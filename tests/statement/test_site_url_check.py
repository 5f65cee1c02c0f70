"""`check --deploy` warns (statement.W002) while SITE_URL is still a local address."""

import pytest
from django.core import checks

from statement.checks import check_site_url_is_public, site_url_problem


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://localhost:8000/",
        "https://localhost",
        "https://shop.localhost",
        "https://[::1]:8443",
        "https://0.0.0.0",
        "http://rekisteri.example.fi",
        "",
    ],
)
def test_a_local_or_plain_http_site_url_is_a_deployment_warning(settings, url):
    settings.SITE_URL = url
    [warning] = check_site_url_is_public()
    assert warning.id == "statement.W002"
    assert warning.level == checks.WARNING
    assert site_url_problem(url)


@pytest.mark.parametrize("url", ["https://rekisteri.example.fi", "https://kauppa.fi:8443/"])
def test_a_public_https_site_url_passes(settings, url):
    settings.SITE_URL = url
    assert check_site_url_is_public() == []


def test_the_warning_is_a_deployment_check_only():
    deploy_checks = checks.registry.registry.get_checks(include_deployment_checks=True)
    assert check_site_url_is_public in deploy_checks
    assert check_site_url_is_public not in checks.registry.registry.get_checks()
