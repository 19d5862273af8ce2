"""Developer tools over the core: evaluation, benchmarks, health and configuration reports."""
