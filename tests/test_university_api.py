"""services/courses/search: the course listing a USOS sync pages through."""


def search(api, **params):
    r = api.call("services/courses/search", signed=False, **params)
    return r.status_code, r.get_json()


def test_lists_every_course_page_by_page(api, make):
    fac = make.faculty("FAC")
    for cid in ("C-3", "C-1", "C-2"):
        make.course(cid, faculty=fac, name={"pl": f"Przedmiot {cid}", "en": f"Course {cid}"})
    status, first = search(api, num="2")
    assert status == 200
    assert first == {"items": [{"course_id": "C-1", "match": "Przedmiot C-1"}, {"course_id": "C-2", "match": "Przedmiot C-2"}],
                     "next_page": True}
    assert search(api, num="2", start="2", lang="en")[1] == {"items": [{"course_id": "C-3", "match": "Course C-3"}],
                                                             "next_page": False}


def test_by_faculty_deep_and_by_words(api, make):
    top = make.faculty("TOP")
    child = make.faculty("CHILD", parent=top)
    make.course("T-1", faculty=top, name={"pl": "Analiza matematyczna", "en": "Calculus"})
    make.course("K-1", faculty=child, name={"pl": "Algebra liniowa", "en": "Linear algebra"})
    make.course("K-2", faculty=child, name={"pl": "Analiza danych", "en": "Data analysis"})
    ids = lambda answer: [i["course_id"] for i in answer["items"]]  # noqa: E731
    assert ids(search(api, fac_id="TOP")[1]) == ["T-1"]
    assert ids(search(api, fac_id="TOP", fac_deep="true")[1]) == ["K-1", "K-2", "T-1"]
    assert ids(search(api, name="analiza", fac_id="TOP", fac_deep="true")[1]) == ["K-2", "T-1"]
    assert ids(search(api, name="ANALIZA dan")[1]) == ["K-2"]


def test_bad_parameters_get_the_error_envelope(api, make):
    status, answer = search(api, fac_id="NOPE")
    assert status == 400 and answer["error"] == "object_not_found" and answer["param_name"] == "fac_id"
    status, answer = search(api, num="0")
    assert status == 400 and answer["error"] == "param_invalid" and answer["param_name"] == "num"
    status, answer = search(api, start="-1")
    assert status == 400 and answer["param_name"] == "start"
    status, answer = search(api, fac_deep="yes")
    assert status == 400 and answer["param_name"] == "fac_deep"
