"""QuickListData sorts a list exactly as django-tables2's own comparator does, ties and directions included,
and leaves to django-tables2 what plain keys cannot sort (a missing value, mixed types)."""

import random
from decimal import Decimal
from types import SimpleNamespace

import django_tables2 as tables
import pytest
from django_tables2.data import TableListData

from bcf_dashboard.dashboards.tables import QuickListData


class Table(tables.Table):
    ref = tables.Column(order_by=("key",))
    rank = tables.Column(order_by=("rank", "key"))
    amount = tables.Column()
    maybe = tables.Column()
    mixed = tables.Column()
    nested = tables.Column(accessor="inner__value")


def rows(seed):
    chosen = random.Random(seed)
    return [
        SimpleNamespace(
            n=n,
            key=(chosen.randint(0, 3), f"x{chosen.randint(0, 2)}"),
            rank=chosen.randint(0, 2),
            amount=Decimal(chosen.randint(-5, 5)) / 4,
            maybe=None if chosen.random() < 0.3 else chosen.randint(0, 3),
            mixed=chosen.choice([1, "a", 2]),
            inner=SimpleNamespace(value=chosen.randint(0, 2)),
        )
        for n in range(40)
    ]


def order(data_class, found, sort):
    table = Table(data_class(list(found)), order_by=sort)
    return [row.n for row in table.data.data]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    "sort",
    [
        "ref",
        "-ref",
        "rank",
        "-rank",
        "amount",
        "-amount",
        "maybe",
        "-maybe",
        "mixed",
        "nested",
        "-nested",
        ("rank", "-amount"),
        ("-rank", "ref"),
    ],
)
def test_the_same_order_as_django_tables2(seed, sort):
    found = rows(seed)
    assert order(QuickListData, found, sort) == order(TableListData, found, sort)
