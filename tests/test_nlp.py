from communique.nlp import entities, entities_in, load_spacy


def test_entities_are_built_once_and_match_spacy():
    doc = load_spacy()("Wang Yi met Sergei Lavrov in Moscow on Monday. Kim Jong Un flew to Vostochny on Wednesday.")
    assert entities(doc) is entities(doc)  # one tuple per Doc, not a new one per call
    assert [e.text for e in entities(doc)] == [e.text for e in doc.ents]
    for sent in doc.sents:
        assert [(e.start, e.end, e.label_) for e in entities_in(sent)] == [(e.start, e.end, e.label_) for e in sent.ents]
