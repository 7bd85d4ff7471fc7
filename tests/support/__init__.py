"""Test-only helpers shared by the test areas and the benchmarks (importable as `support.*`: pytest puts
`tests/` on the path). Nothing here is part of the installed package."""
