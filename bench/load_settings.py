"""The benchmarks' production profile with the load benchmark's URLconf (the bare view)."""

from bench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
