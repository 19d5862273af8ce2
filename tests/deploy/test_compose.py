"""deploy/docker-compose*.yml: valid YAML, valid Compose (compose-spec), and wired to the image."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bot.settings import Settings
from tests.deploy.conftest import DEPLOY, REPO

FILES = sorted(DEPLOY.glob("docker-compose*.yml"))
SETTINGS = {name.upper() for name in Settings.model_fields}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())  # PyYAML applies `<<:` merge keys, as Compose does


def duration(value: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    unit = next(u for u in sorted(units, key=len, reverse=True) if value.endswith(u))
    return float(value[: -len(unit)]) * units[unit]


def bot_services(compose: dict) -> dict:
    """The services that run authbot (built from deploy/Dockerfile), not its database or Prometheus."""
    return {name: service for name, service in compose["services"].items() if "build" in service}


def test_there_is_a_compose_file():
    assert DEPLOY / "docker-compose.yml" in FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_compose_spec_accepts_it(path):
    compose_spec = pytest.importorskip("compose_spec")
    # Merged by PyYAML first: compose-spec validates keys and value formats, not YAML anchors.
    compose_spec.PyCompose.from_json(json.dumps(load(path))).validate()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_services_build_the_image_with_the_env_file_and_the_data_volume(path):
    compose = load(path)
    volumes = compose["volumes"]
    for name, service in bot_services(compose).items():
        build = service["build"]
        assert (path.parent / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile", name
        assert (path.parent / build["context"]).resolve() == REPO
        assert service["env_file"] == ".env"  # deploy/.env, copied from deploy/.env.example
        data = [v for v in service["volumes"] if v.endswith(":/data")]
        assert len(data) == 1 and data[0].split(":")[0] in volumes, name
        assert service["restart"] == "unless-stopped"
        # Docker's default stop timeout (10 s) is close to SHUTDOWN_GRACE; give the drain room.
        assert duration(service["stop_grace_period"]) > Settings(_env_file=None).shutdown_grace
        assert set(service.get("environment", {})) <= SETTINGS


def test_shards_split_one_shard_count():
    services = load(DEPLOY / "docker-compose.shards.yml")["services"].values()
    layouts = [(s["environment"]["SHARD_COUNT"], s["environment"]["SHARD_IDS"]) for s in services]
    count = {c for c, _ in layouts}
    assert len(count) == 1 and sorted(int(i) for _, i in layouts) == list(range(int(count.pop())))


def test_every_file_runs_authbot():
    assert all(bot_services(load(path)) for path in FILES)


POSTGRES_COMPOSE = DEPLOY / "docker-compose.postgres.yml"


def test_the_postgresql_file_runs_two_shards_on_a_healthy_server_with_a_volume():
    compose = load(POSTGRES_COMPOSE)
    server = compose["services"]["postgres"]
    assert server["image"].startswith("postgres:")
    assert "pg_isready" in server["healthcheck"]["test"]
    assert any(v.split(":")[0] in compose["volumes"] and v.endswith(":/var/lib/postgresql/data") for v in server["volumes"])
    shards = bot_services(compose)
    assert sorted(s["environment"]["SHARD_IDS"] for s in shards.values()) == ["0", "1"]
    for name, shard in shards.items():
        assert shard["depends_on"]["postgres"]["condition"] == "service_healthy", name
        environment = shard["environment"]
        assert environment["SHARD_COUNT"] == "2"
        url = environment["DATABASE_URL"]
        assert url.startswith("postgresql://authbot:${POSTGRES_PASSWORD") and url.endswith("@postgres:5432/authbot")
        assert "${POSTGRES_PASSWORD" in server["environment"]["POSTGRES_PASSWORD"]  # one secret, never in the file


def test_prometheus_scrapes_every_shard_on_its_metrics_port():
    compose = load(POSTGRES_COMPOSE)
    prometheus = compose["services"]["prometheus"]
    mounted = {v.split(":")[0]: v.split(":")[1] for v in prometheus["volumes"]}
    assert mounted["./prometheus.yml"] == "/etc/prometheus/prometheus.yml"
    assert all(p.startswith("127.0.0.1:") for p in prometheus["ports"])  # the UI stays on the host's loopback
    config = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    (job,) = config["scrape_configs"]
    (targets,) = [c["targets"] for c in job["static_configs"]]
    expected = {f"{name}:{s['environment']['METRICS_PORT']}" for name, s in bot_services(compose).items()}
    assert set(targets) == expected
    for shard in bot_services(compose).values():
        assert shard["environment"]["METRICS_HOST"] == "0.0.0.0" and "ports" not in shard
