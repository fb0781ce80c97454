"""/developers (where usos-mcp sends people to get keys): public, in Polish and English, and
leading to API applications."""
import re


def test_public_in_both_languages_and_leading_to_api_applications(client):
    pl = client.get("/developers", headers={"Accept-Language": "pl"})
    assert pl.status_code == 200
    page = pl.get_data(as_text=True)
    assert "<h1>Dla programistów</h1>" in page
    assert re.search(r'href="/api/apps"[^>]*data-testid="to-apps">Aplikacje API<', page)
    assert '<code data-testid="base-url">http://localhost/</code>' in page
    assert "http://localhost/services/oauth/request_token" in page
    en = client.get("/developers", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h1>For developers</h1>" in en
    assert re.search(r'href="/api/apps"[^>]*data-testid="to-apps">API applications<', en)
    # the way on: API applications asks to sign in, then offers the registration
    r = client.get("/api/apps")
    assert r.status_code == 302 and "/login" in r.location


def test_api_applications_link_back(client, auth, make):
    make.university()
    auth.login("stud1")
    page = client.get("/api/apps", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/developers" data-testid="to-developers"' in page
