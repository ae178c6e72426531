"""The one place where settings are read from the environment.

Every variable is declared by the call that reads it, with its default and a
sentence for operators; ``documented_variables()`` feeds the configuration
table in ``docs/configuration.md`` and the test that keeps the two in step.
"""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    help: str


_declared: dict[str, Variable] = {}


def _read(name: str, default: str, help: str) -> str:
    _declared[name] = Variable(name, default, help)
    return os.environ.get(name, default)


def env_str(name: str, default: str, help: str) -> str:
    return _read(name, default, help)


def env_bool(name: str, default: bool, help: str) -> bool:
    value = _read(name, "true" if default else "false", help).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, help: str) -> int:
    value = _read(name, str(default), help)
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str], help: str) -> list[str]:
    value = _read(name, ",".join(default), help)
    return [item.strip() for item in value.split(",") if item.strip()]


def documented_variables() -> list[Variable]:
    return sorted(_declared.values(), key=lambda variable: variable.name)
