"""Configuration validation: every bad setting stops the sync with a message naming it, never echoing the token."""

import pytest

from sheetsync.config import REGIONS, TOKEN_ENV, ConfigurationError, load_settings

TOKEN = "tok-SECRET-123-a-long-token-of-forty-chars"


def settings(**conf):
    return load_settings({"smartsheet_api_token": TOKEN, **conf}, environ={})


def test_defaults_point_at_the_us_region_and_every_sheet():
    s = settings()
    assert s.base_url == REGIONS["us"]
    assert s.sheet_ids == ()
    assert (s.sync_reports, s.violation_policy, s.requests_per_minute) == (True, "warn", 300)


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_each_region_maps_to_its_api_root(region):
    assert settings(region=region.upper()).base_url == REGIONS[region]


def test_base_url_overrides_region():
    assert settings(region="eu", base_url="http://127.0.0.1:9/2.0/").base_url == "http://127.0.0.1:9/2.0"


def test_token_can_come_from_the_environment_when_running_locally():
    s = load_settings({}, environ={TOKEN_ENV: TOKEN})
    assert s.token == TOKEN


def test_sheet_ids_accept_the_original_examples_single_id_setting():
    assert settings(smartsheet_sheet_id="42").sheet_ids == (42,)
    assert settings(sheet_ids="1, 2,2 ,3").sheet_ids == (1, 2, 3)


@pytest.mark.parametrize(
    ("conf", "setting"),
    [
        ({"smartsheet_api_token": ""}, "smartsheet_api_token"),
        ({"region": "mars"}, "region"),
        ({"sheet_ids": "12,abc"}, "sheet_ids"),
        ({"workspace_ids": "x"}, "workspace_ids"),
        ({"base_url": "ftp://example.com"}, "base_url"),
        ({"base_url": "http://api.smartsheet.com/2.0"}, "base_url"),
        ({"base_url": "https://user:pw@api.smartsheet.com/2.0"}, "base_url"),
        ({"sync_reports": "yes"}, "sync_reports"),
        ({"violation_policy": "ignore"}, "violation_policy"),
        ({"max_workers": "0"}, "max_workers"),
        ({"requests_per_minute": "301"}, "requests_per_minute"),
    ],
)
def test_invalid_settings_name_the_setting_and_never_echo_the_token(conf, setting):
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"smartsheet_api_token": TOKEN, **conf}, environ={})
    assert caught.value.setting == setting
    assert f"'{setting}'" in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_plain_http_is_allowed_only_to_loopback():
    assert settings(base_url="http://localhost:8080/2.0").base_url.startswith("http://localhost")
    assert settings(base_url="http://[::1]:8080/2.0").base_url.startswith("http://[::1]")
    with pytest.raises(ConfigurationError, match="plain http"):
        settings(base_url="http://10.0.0.5/2.0")


@pytest.mark.parametrize(
    "url",
    [
        "http://api.smartsheet.com/2.0",
        "http://localhost.example.com/2.0",
        "http://127.0.0.1.nip.io/2.0",
        "http://0.0.0.0:8080/2.0",
        "http://[::ffff:10.0.0.1]/2.0",
        "http://192.168.1.10:8765/2.0",
    ],
)
def test_the_token_is_refused_over_plain_http_to_any_non_loopback_host(url):
    with pytest.raises(ConfigurationError, match="plain http") as caught:
        settings(base_url=url)
    assert caught.value.setting == "base_url"
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize("setting", ["sheet_ids", "max_workers", "violation_policy", "sync_reports", "region"])
def test_a_token_pasted_into_another_setting_is_not_echoed(setting):
    with pytest.raises(ConfigurationError) as caught:
        settings(**{setting: TOKEN})
    assert caught.value.setting == setting
    assert TOKEN not in str(caught.value)


def test_the_token_never_shows_in_a_repr():
    s = settings()
    assert TOKEN not in repr(s)
    assert TOKEN not in repr(s.token)
