from __future__ import annotations

from wendao.engine.memo import PerObject


class Thing:
    def __init__(self, name: str) -> None:
        self.name = name


def test_a_value_is_built_once_per_object_and_not_for_an_equal_copy() -> None:
    built: list[str] = []
    cache: PerObject[Thing, str] = PerObject(size=4)

    def build(t: Thing) -> str:
        built.append(t.name)
        return t.name.upper()

    a, copy_of_a = Thing("a"), Thing("a")
    assert cache.get(a, build) == "A"
    assert cache.get(a, build) == "A"
    assert cache.get(copy_of_a, build) == "A"
    assert built == ["a", "a"]


def test_the_cache_keeps_only_the_most_recent_objects_and_holds_them_alive() -> None:
    cache: PerObject[Thing, int] = PerObject(size=2)
    things = [Thing(str(i)) for i in range(3)]
    calls = 0

    def build(t: Thing) -> int:
        nonlocal calls
        calls += 1
        return int(t.name)

    for t in things:
        cache.get(t, build)
    cache.get(things[2], build)  # still cached
    assert calls == 3
    cache.get(things[0], build)  # evicted, built again
    assert calls == 4
    held = Thing("7")
    cache.get(held, build)
    held_id = id(held)
    del held
    # the entry holds the object, so its id cannot be reused by a new object while cached
    assert all(id(Thing("x")) != held_id for _ in range(100))
