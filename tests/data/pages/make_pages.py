"""Build the saved-page fixtures around the seed pair's texts (run from the repository root).

    python tests/data/pages/make_pages.py

The article paragraphs come from pairs/csto-2023-narrow-session/ verbatim; around
them sit what real news pages carry: a cookie banner, a site header with
navigation, breadcrumbs, share buttons, "other news" teasers, a newsletter box
and a footer. `ARTICLE` (in bench/html_extraction.py and the tests) is the
seed text's article part, so how much furniture an extractor leaves is measurable.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "pairs" / "csto-2023-narrow-session"
OUT = Path(__file__).resolve().parent


def paragraphs(name: str) -> list[str]:
    return [p.strip() for p in (SEED / name).read_text("utf-8").split("\n") if p.strip()]


def ru_article() -> tuple[str, list[str]]:
    paras = paragraphs("001_cc3bb9ed3dc9ac90.txt")
    start = next(k for k, p in enumerate(paras) if p.startswith("В заседании приняли участие"))
    end = next(k for k, p in enumerate(paras) if p == "Akorda.kz")
    return paras[1], paras[start:end]


def en_article() -> tuple[str, list[str]]:
    return "Tokayev Urges Collective Action as CSTO Leaders Meet in Minsk", paragraphs("000_6cf8d23f497eb1aa.txt")


def page(lang: str, site: str, title: str, nav: list[str], cookie: str, crumbs: list[str], date: str,
         body: list[str], share: str, teaser_head: str, teasers: list[tuple[str, str, str]], newsletter: str,
         footer: list[str], read_also: str, caption: str, tail: str) -> str:
    """A news page: `body` is the article; `read_also` (a link paragraph after the second paragraph), `caption`
    (a photo caption after the first) and `tail` (a line closing the article) are furniture inside it."""
    e = escape
    nav_html = "".join(f'<li><a href="/{lang}/{k}">{e(n)}</a></li>' for k, n in enumerate(nav))
    crumb_html = " / ".join(f'<a href="/{lang}/c{k}">{e(c)}</a>' for k, c in enumerate(crumbs))
    teaser_html = "".join(
        f'<div class="news-item"><a href="/{lang}/news/{k}"><h3>{e(t)}</h3></a><p class="lead">{e(lead)}</p>'
        f'<div class="meta"><span class="date">{e(d)}</span></div></div>'
        for k, (t, lead, d) in enumerate(teasers))
    pieces = [f"<p>{e(p)}</p>\n" for p in body]
    pieces.insert(1, f'<figure><img src="/media/photo1.jpg" alt=""><figcaption>{e(caption)}</figcaption></figure>\n')
    pieces.insert(3, f'<p class="read-also"><strong>{e(read_also.split(":")[0])}:</strong> '
                     f'<a href="/{lang}/news/99">{e(read_also.split(":", 1)[1].strip())}</a></p>\n')
    pieces.append(f'<p class="source">{e(tail)}</p>\n')
    article = "".join(pieces)
    foot = "".join(f"<p>{e(f)}</p>" for f in footer)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} | {e(site)}</title>
<meta property="og:title" content="{e(title)}">
<meta property="og:site_name" content="{e(site)}">
<link rel="stylesheet" href="/static/css/main.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} gtag('js', new Date());</script>
</head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>{e(cookie)}</p><button type="button">OK</button></div>
<header class="site-header">
<div class="logo"><a href="/{lang}/">{e(site)}</a></div>
<nav class="main-menu"><ul>{nav_html}</ul></nav>
<form class="search" action="/search"><input type="search" name="q" placeholder="Search"></form>
</header>
<main>
<div class="breadcrumbs">{crumb_html}</div>
<article class="post">
<h1 class="post-title">{e(title)}</h1>
<div class="post-meta"><time>{e(date)}</time></div>
<div class="post-content">
{article}</div>
<div class="share"><span>{e(share)}</span> <a href="#">Facebook</a> <a href="#">Telegram</a> <a href="#">X</a></div>
</article>
<aside class="other-news">
<h2>{e(teaser_head)}</h2>
{teaser_html}
</aside>
<section class="newsletter"><h2>{e(newsletter)}</h2><form><input type="email"><button>OK</button></form></section>
</main>
<footer class="site-footer">{foot}</footer>
<script src="/static/js/app.js"></script>
</body>
</html>
"""


def main() -> None:
    title, body = ru_article()
    ru = page(
        "ru", "Akorda.kz", title,
        ["Президент", "Администрация", "Новости", "Документы", "Обращения граждан", "Государственные символы"],
        "Сайт использует файлы cookie, чтобы сделать его удобнее. Продолжая пользоваться сайтом, вы соглашаетесь с этим.",
        ["Главная", "Новости", "События"], "Воскресенье, 24 Ноября 2024", body, "Поделиться:", "Другие новости",
        [("Поздравление Главы государства Касым-Жомарта Токаева с Днем Республики",
          "Уважаемые соотечественники! От всей души поздравляю...", "25.10.2024"),
         ("Глава государства принял участие в саммите «БРИКС плюс»",
          "Президент Касым-Жомарт Токаев выступил с речью на...", "24.10.2024"),
         ("Глава государства выступил на пленарном заседании Astana Think Tank Forum",
          "В начале своего выступления Президент Касым-Жомарт...", "17.10.2024")],
        "Подпишитесь на новости Акорды",
        ["Создано на платформе Alison CMS © 2011-2024. Авторские права защищены законодательством Республики Казахстан.",
         "Дизайн и разработка сайта от компании Licon."],
        "Читайте также: Глава государства провел переговоры с Президентом Беларуси", "Фото: Акорда", "Akorda.kz",
    )
    (OUT / "akorda-csto-2023.ru.html").write_text(ru, "utf-8")
    title, body = en_article()
    en = page(
        "en", "The Astana Times", title,
        ["Nation", "Politics", "Business", "Opinion", "Culture", "Sports", "Multimedia"],
        "We use cookies to ensure that we give you the best experience on our website. "
        "If you continue to use this site we will assume that you are happy with it.",
        ["Home", "Nation"], "By Staff Report in Nation on 24 November 2023", body, "Share this article:",
        "Related Posts",
        [("Kazakhstan, Uzbekistan Sign Agreement on Water Management", "Read more", "24 November 2023"),
         ("Astana Hosts International Forum on Digital Economy", "Read more", "23 November 2023"),
         ("Tokayev Meets with Head of OSCE Parliamentary Assembly", "Read more", "22 November 2023")],
        "Subscribe to our newsletter",
        ["© 2023 The Astana Times. All rights reserved.",
         "Reproduction of material is allowed only with a hyperlink to The Astana Times."],
        "READ ALSO: Tokayev Holds Talks with Lukashenko in Minsk", "Photo credit: Akorda press service",
        "Tags: CSTO, Kassym-Jomart Tokayev, Minsk",
    )
    (OUT / "astanatimes-csto-2023.en.html").write_text(en, "utf-8")


if __name__ == "__main__":
    main()
