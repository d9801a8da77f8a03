"""Fixtures of the hostile-input suite; the helpers are in hostile_helpers.py."""

import pytest

from hostile_helpers import _hostile_env, _perfdesk, _script


@pytest.fixture(scope="session")
def hostile_env(tmp_path_factory):
    return _hostile_env(tmp_path_factory)


@pytest.fixture
def perfdesk(hostile_env):
    return _perfdesk(hostile_env)


@pytest.fixture
def script(hostile_env):
    return _script(hostile_env)
