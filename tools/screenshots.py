"""Regenerate the screenshots in docs/screenshots/ from a running demo portal.

    make run                                    # in another shell: the demo on :8000
    .venv/bin/pip install -e '.[docs]'          # Playwright and Pillow
    .venv/bin/python tools/screenshots.py [BASE_URL]

Signs in as each demo person, opens their main pages at desktop (1280x900) and phone
(390x844) size in Polish, and saves each view as a small palette PNG (Debian's
/usr/bin/chromium, as the browser tests use it).
"""
import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZES = {"desktop": ({"width": 1280, "height": 900}, 960), "phone": ({"width": 390, "height": 844}, 390)}
# (file name, login, start address, links to follow in turn to reach the page)
PAGES = [
    ("student-exam", "student1", "/exams/", ["a[href^='/exams/'][href$='1']"]),
    ("student-grades", "student1", "/grades/my", []),
    ("student-consultations", "student1", "/meetings/", []),
    ("lecturer-grading", "lecturer1", "/grades/reports", ["a[href*='/sessions/']"]),
    ("lecturer-roster", "lecturer1", "/attendance/", ["a[href^='/attendance/groups/']", "a[href^='/attendance/lists/']"]),
    ("admin-exam", "admin", "/exams/manage", ["a[href^='/exams/manage/exams/']"]),
]


def save(png, path, width):
    """Scale to `width` and keep 64 colours: a few tens of kilobytes per view."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width != width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main(base="http://127.0.0.1:8000"):
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        for size, (viewport, width) in SIZES.items():
            for name, login, start, links in PAGES:
                context = browser.new_context(viewport=viewport, locale="pl-PL")
                page = context.new_page()
                page.goto(base + "/login")
                page.fill("input[name=login]", login)
                page.fill("input[name=password]", "demo")
                page.click("[data-testid=login-submit]")
                page.wait_for_url(lambda url: "/login" not in url)
                page.goto(base + start)
                for selector in links:
                    page.locator(selector).first.click()
                    page.wait_for_load_state()
                target = OUT / f"{name}-{size}.png"
                save(page.screenshot(), target, width)
                print(f"{target.relative_to(OUT.parent.parent)}  {target.stat().st_size // 1024} KB")
                context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
