from communique.records import Actor, Article, Mention
from communique.store import Store


def _person(name, role, country="KOR"):
    slug = name.lower().replace(" ", "-")
    return Mention(0, 1, Actor(name, country, name, "person", "GOV", role, "person:" + slug))


def _store(tmp_path):
    store = Store(tmp_path / "e.duckdb")
    a = Article("a", "text a", "t", "2024-06-18")
    b = Article("b", "text b", "t", "2024-06-19")
    store.add(a, [], [(0, 5, _person("Lee Seung-buhm", "director general")), (6, 9, _person("Cho Tae-yul", "foreign minister")),
                      (10, 12, _person("Kim Hong-kyun", "first vice foreign minister"))])
    store.add(b, [], [(0, 5, _person("Lee Seung-bom", "director general")), (6, 9, _person("Cho Tae-yong", "foreign minister")),
                      (10, 12, _person("Kim Jong Un", "leader", "PRK")), (13, 15, _person("Kim Yong-hyun", "defense minister"))])
    return store


def test_entities_listed_with_counts(tmp_path):
    with _store(tmp_path) as store:
        people = store.entities(kind="person", country="KOR")
        assert {e.name for e in people} >= {"Lee Seung-buhm", "Cho Tae-yul", "Kim Hong-kyun"}
        assert all(e.country == "KOR" for e in people)


def test_spelling_variants_are_linked_not_merged(tmp_path):
    with _store(tmp_path) as store:
        profile = store.entity("Lee Seung-buhm")
        assert profile["entity_id"] == "person:lee-seung-buhm"
        linked = {v["entity_id"]: v for v in profile["probable_variants"]}
        assert "person:lee-seung-bom" in linked and linked["person:lee-seung-bom"]["confidence"] >= 0.8


def test_same_office_same_time_links_a_looser_spelling(tmp_path):
    with _store(tmp_path) as store:
        linked = {v["entity_id"]: v for v in store.entity("Cho Tae-yul")["probable_variants"]}
        assert "person:cho-tae-yong" in linked
        assert any("same role" in r for r in linked["person:cho-tae-yong"]["reasons"])


def test_people_sharing_a_surname_stay_apart(tmp_path):
    with _store(tmp_path) as store:
        linked = {v["entity_id"] for v in store.entity("Kim Hong-kyun")["probable_variants"]}
        assert "person:kim-jong-un" not in linked and "person:kim-yong-hyun" not in linked
