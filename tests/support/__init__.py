"""Helpers shared by tests and benchmarks: a moto_server launcher and a parallel seeder."""
