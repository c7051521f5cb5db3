from django.db import connection


def test_suite_runs_on_postgresql_when_required(on_postgresql, db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 140000
