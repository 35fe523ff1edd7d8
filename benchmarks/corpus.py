"""Synthetic help-center corpora for benchmarks, recombined from the bundled example site.

API (kept small on purpose; the build benchmarks share it):

    from benchmarks.corpus import generate, known_items
    info = generate(folder, count=1000, seed=0)   # writes a helpgen site folder
    items = known_items(folder)                   # the known-item test set it wrote

`generate(folder, count, seed)` writes a valid helpgen site folder (helpgen.yml, articles/ with
`_category.yml` / `_section.yml`) holding `count` English articles, a Simplified Chinese
translation of each (`name.zh-CN.md`) and a Traditional Chinese one of every third
(`name.zh-TW.md`), spread over 8 categories x 4 sections. The output depends only on
(count, seed): same arguments, byte-identical files.

Text is realistic enough for search: sentences, headings, titles and tags are taken from the
example site's articles (every locale) and recombined. English bodies are about 600 words,
Chinese bodies about 900 characters, with headings, paragraphs, numbered steps and the odd
admonition. Titles are a title or heading of the example site plus a qualifier ("… on Android",
"…（网页版）"), unique within their locale, also as a set of words.

Each article carries one distinctive token, placed in a paragraph near the middle of its body and
nowhere else in the corpus:
  - English: a pseudo-word of letters and four digits, e.g. "zorvex4821";
  - Chinese: three Han characters (four past about 50,000 articles) from RARE_HAN (characters
    absent from the example site), e.g.
    "鼐燊玹"; every token is a distinct string, so its two bigrams occur together in its article only.

`folder/known-items.json` records the known-item test set:
    {"count": N, "seed": S, "locales": {"en": N, ...},
     "items": [{"locale": "en", "url": "billing/refunds/<slug>/", "title": "...",
                "token": "zorvex4821", "path": "articles/billing/refunds/<slug>.md"}, ...]}
`url` is the article's page relative to the site root, as helpgen publishes it (`zh-CN/…` for a
translation) and as the search index's document entries give it.

Command line: python benchmarks/corpus.py FOLDER [--count N] [--seed S]
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
from pathlib import Path

__all__ = ["generate", "known_items", "LOCALES", "KNOWN_ITEMS_FILE", "EXAMPLE_ARTICLES"]

LOCALES = ("en", "zh-CN", "zh-TW")
KNOWN_ITEMS_FILE = "known-items.json"
EXAMPLE_ARTICLES = Path(__file__).resolve().parent.parent / "example-site" / "articles"

EN_WORDS = 600          # target body length, words
ZH_CHARS = 900          # target body length, characters (Han and others, no spaces)
TOPICAL = 0.9           # share of an article's sentences and headings taken from its topic

# 8 categories x 4 sections: (folder, en, zh-CN, zh-TW).
CATEGORIES = [
    (("getting-started", "Getting started", "快速入门", "快速入門"), [
        ("basics", "Basics", "基础知识", "基礎知識"),
        ("setup", "Set up your business", "设置企业信息", "設定企業資訊"),
        ("mobile", "Mobile apps", "移动应用", "行動應用程式"),
        ("migration", "Move to Tallybook", "迁移到 Tallybook", "遷移到 Tallybook")]),
    (("account", "Your account", "账户管理", "帳號管理"), [
        ("profile", "Profile", "个人资料", "個人資料"),
        ("security", "Sign-in and security", "登录与安全", "登入與安全性"),
        ("team", "Team and roles", "团队与角色", "團隊與角色"),
        ("notifications", "Notifications", "通知", "通知")]),
    (("billing", "Billing", "账单与付款", "帳單與付款"), [
        ("plans", "Plans", "套餐", "方案"),
        ("payment-methods", "Payment methods", "付款方式", "付款方式"),
        ("refunds", "Refunds", "退款", "退款"),
        ("taxes", "Taxes and receipts", "税务与收据", "稅務與收據")]),
    (("invoices", "Invoices", "发票", "發票"), [
        ("creating", "Create invoices", "创建发票", "建立發票"),
        ("sending", "Send invoices", "发送发票", "傳送發票"),
        ("recurring", "Recurring invoices", "定期发票", "定期發票"),
        ("templates", "Templates and branding", "模板与品牌", "範本與品牌")]),
    (("payments", "Payments", "收款", "收款"), [
        ("online", "Online payments", "在线收款", "線上收款"),
        ("reminders", "Reminders", "催款提醒", "付款提醒"),
        ("payouts", "Payouts", "提现", "撥款"),
        ("disputes", "Disputes", "争议", "爭議")]),
    (("expenses", "Expenses", "费用", "費用"), [
        ("tracking", "Track expenses", "记录费用", "記錄費用"),
        ("receipts", "Receipts", "收据", "收據"),
        ("mileage", "Mileage", "里程", "里程"),
        ("reports", "Reports", "报表", "報表")]),
    (("integrations", "Integrations", "集成", "整合"), [
        ("api", "API and webhooks", "API 与 Webhook", "API 與 Webhook"),
        ("banks", "Bank feeds", "银行流水", "銀行對帳單"),
        ("accounting", "Accounting software", "会计软件", "會計軟體"),
        ("apps", "Apps", "应用", "應用程式")]),
    (("troubleshooting", "Troubleshooting", "故障排除", "疑難排解"), [
        ("sign-in", "Sign-in problems", "登录问题", "登入問題"),
        ("email", "Email delivery", "邮件送达", "郵件送達"),
        ("sync", "Sync problems", "同步问题", "同步問題"),
        ("errors", "Error messages", "错误信息", "錯誤訊息")]),
]

# Title qualifiers, parallel across locales: (en, zh-CN, zh-TW).
QUALIFIERS = [
    ("", "", ""),
    ("on iOS", "（iOS 版）", "（iOS 版）"),
    ("on Android", "（Android 版）", "（Android 版）"),
    ("in the web app", "（网页版）", "（網頁版）"),
    ("for teams", "：团队指南", "：團隊指南"),
    ("for accountants", "：会计师指南", "：會計師指南"),
    ("for new businesses", "：新企业入门", "：新企業入門"),
    ("in multiple currencies", "（多币种）", "（多幣別）"),
    ("with Stripe", "（Stripe）", "（Stripe）"),
    ("with PayPal", "（PayPal）", "（PayPal）"),
    ("with Xero", "（Xero）", "（Xero）"),
    ("with QuickBooks", "（QuickBooks）", "（QuickBooks）"),
    ("in the EU", "（欧盟地区）", "（歐盟地區）"),
    ("in the UK", "（英国）", "（英國）"),
    ("in Australia", "（澳大利亚）", "（澳洲）"),
    ("in Canada", "（加拿大）", "（加拿大）"),
    ("in Singapore", "（新加坡）", "（新加坡）"),
    ("in Hong Kong", "（香港）", "（香港）"),
    ("on the Starter plan", "（Starter 套餐）", "（Starter 方案）"),
    ("on the Team plan", "（Team 套餐）", "（Team 方案）"),
    ("on the Business plan", "（Business 套餐）", "（Business 方案）"),
    ("during a free trial", "（免费试用期间）", "（免費試用期間）"),
    ("after an update", "：更新之后", "：更新之後"),
    ("step by step", "：分步说明", "：逐步說明"),
    ("FAQ", "：常见问题", "：常見問題"),
    ("for freelancers", "：自由职业者指南", "：自由工作者指南"),
    ("for online shops", "：网店指南", "：網路商店指南"),
    ("for agencies", "：代理机构指南", "：代理商指南"),
    ("with two-factor authentication", "（已开启双重验证）", "（已開啟雙重驗證）"),
    ("from a spreadsheet", "：从电子表格导入", "：從試算表匯入"),
    ("in bulk", "：批量操作", "：批次操作"),
    ("for overdue invoices", "：逾期发票", "：逾期發票"),
    ("for recurring invoices", "：定期发票", "：定期發票"),
    ("with custom fields", "：自定义字段", "：自訂欄位"),
    ("with a custom domain", "：自定义域名", "：自訂網域"),
    ("for admins", "：管理员指南", "：管理員指南"),
    ("for owners", "：所有者指南", "：擁有者指南"),
    ("best practices", "：最佳实践", "：最佳做法"),
    ("troubleshooting tips", "：故障排除技巧", "：疑難排解技巧"),
    ("limits and quotas", "：限制与配额", "：限制與配額"),
    ("at year end", "：年终结算", "：年終結算"),
    ("for VAT returns", "：增值税申报", "：營業稅申報"),
    ("when offline", "：离线时", "：離線時"),
    ("with the API", "：通过 API", "：透過 API"),
    ("with webhooks", "：通过 Webhook", "：透過 Webhook"),
    ("on a tablet", "（平板设备）", "（平板裝置）"),
    ("in a second business", "：第二个企业", "：第二家企業"),
    ("for international customers", "：海外客户", "：海外客戶"),
]

# Han characters used only for the distinctive tokens (checked absent from the example site).
RARE_HAN = ("鼐燊玹珩琭璆瑄璘瓒昶晞曦暐炅炜烜煊熠燚犇骉驫鑫淼焱垚嶙峋岚崟嵘巍"
            "彧赟祎玥珏瑀璟琰翀翥翾羲羿罡耆聿臻芃芊苒荃荀莛菁萁葳蓁蔚蕤薏藜蘅")

_EN_SYLLABLES = ("bra", "cor", "dax", "fen", "gol", "hux", "jam", "kel", "lor", "mav", "nex",
                 "orb", "pel", "quor", "riv", "sol", "tav", "ulm", "vex", "wyn", "xan", "yor",
                 "zor", "zib", "kru", "plo", "trin", "glim")


# --- the example site's text, as pools of sentences, headings, titles and tags ----------------

def _locale_of(path: Path) -> str:
    parts = path.name.split(".")
    return parts[-2] if len(parts) > 2 and parts[-2] in LOCALES[1:] else "en"


def _clean_inline(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)    # links, images -> their text
    text = re.sub(r":[a-z0-9]+(?:-[a-z0-9]+)+:", "", text)       # :material-cog: icons
    text = re.sub(r"\+\+([^+]+)\+\+", r"\1", text)               # ++ctrl+c++ keys
    text = re.sub(r"\[\^[^\]]*\]", "", text)                     # footnote refs
    text = text.replace("**", "").replace("`", "").replace("==", "")
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*]+)\*", r"\1", text)   # *emphasis*
    return re.sub(r"\s+", " ", text).strip()


def _ok(text: str) -> bool:
    return not re.search(r"[{}<>|\[\]\\*_#=~^]", text)


def _split_sentences(text: str, locale: str) -> list[str]:
    if locale == "en":
        pieces = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])", text)
        return [p for p in pieces if len(p.split()) >= 5 and p[-1] in ".!?" and _ok(p)]
    pieces = re.findall(r"[^。！？]+[。！？]", text)
    return [p.strip() for p in pieces if len(p.strip()) >= 8 and _ok(p)]


def _front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.index("\n---\n", 4)
    meta = {}
    for line in text[4:end].splitlines():
        match = re.match(r"^(title|tags):\s*(.+)$", line)
        if match:
            meta[match.group(1)] = match.group(2).strip()
    return meta, text[end + 5:]


def _load_pools() -> dict[str, dict]:
    """Per locale: the example site's sentences, headings, titles and tags, all together and per
    topic (the example category a text comes from), sorted and deduplicated; and the title bases:
    (title or heading, topic)."""
    pools: dict[str, dict] = {}
    for path in sorted(EXAMPLE_ARTICLES.rglob("*.md")):
        locale = _locale_of(path)
        topic = path.relative_to(EXAMPLE_ARTICLES).parts[0]
        pool = pools.setdefault(locale, {}).setdefault(topic, {
            "sentences": set(), "headings": set(), "titles": set(), "tags": set()})
        meta, body = _front_matter(path.read_text(encoding="utf-8"))
        title = meta.get("title", "").strip("'\"")
        if title and _ok(title) and '"' not in title:
            pool["titles"].add(title)
        for tag in re.findall(r"[^\[\],]+", meta.get("tags", "")):
            if tag.strip() and _ok(tag.strip()):
                pool["tags"].add(tag.strip())
        in_fence = False
        paragraph: list[str] = []

        def flush():
            if paragraph:
                pool["sentences"].update(_split_sentences(_clean_inline(" ".join(paragraph)),
                                                          locale))
                paragraph.clear()
        for raw in body.splitlines():
            line = raw.strip()
            if line.startswith("```"):
                in_fence = not in_fence
                flush()
                continue
            if in_fence or line.startswith("|"):
                continue
            if not line or line.startswith(("===", "!!!", "???", "*[")):
                flush()
                continue
            heading = re.match(r"^#{2,4}\s+(.+)$", line)
            if heading:
                flush()
                text = _clean_inline(heading.group(1))
                if _ok(text) and 2 <= len(text) <= 60:
                    pool["headings"].add(text)
                continue
            item = re.match(r"^(?:\d+\.|[-*+])\s+(.+)$", line)
            if item:
                flush()
                paragraph.append(item.group(1))
                flush()
                continue
            paragraph.append(line)
        flush()
    result = {}
    for locale in LOCALES:
        topics = {topic: {kind: sorted(values) for kind, values in pool.items()}
                  for topic, pool in sorted(pools[locale].items())}
        merged = {kind: sorted({v for pool in topics.values() for v in pool[kind]})
                  for kind in ("sentences", "headings", "titles", "tags")}
        bases = sorted({(phrase, topic) for topic, pool in topics.items()
                        for phrase in pool["titles"] + pool["headings"]})
        result[locale] = dict(merged, topics=topics, bases=bases)
    return result


# --- generation ---------------------------------------------------------------------------------

def _words_key(title: str) -> frozenset:
    """A title's identity for uniqueness: its lowercased words, or its Han characters."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    stop = {"a", "an", "the", "and", "or", "to", "of", "in", "on", "for", "with", "your", "from"}
    return frozenset(w for w in words if w not in stop) | frozenset(re.findall(r"[\u4e00-\u9fff]",
                                                                               title))


def _titles(pools, count: int, rng: random.Random) -> list[tuple]:
    """`count` rows of ((title, topic) per locale): a title or heading of the example site plus a
    qualifier, unique within its locale, also as a set of words. zh-TW: rows 0, 3, 6, … only."""
    bases = {locale: pools[locale]["bases"] for locale in LOCALES}
    seen = {locale: set() for locale in LOCALES}
    rows = []
    combos = [(b, q) for b in range(len(bases["en"])) for q in range(len(QUALIFIERS))]
    rng.shuffle(combos)
    zh_next = {locale: 0 for locale in LOCALES[1:]}
    zh_order = {locale: rng.sample(range(len(bases[locale])), len(bases[locale]))
                for locale in LOCALES[1:]}
    # Past the example site's (base, qualifier) pairs (about 8,400), the pairs come again, each
    # round numbered ("… on Android 2"), for the scale benchmark's 100,000 articles.
    rounds = [(0, combos)]
    for number in range(1, count // len(combos) + 2 if count > len(combos) else 1):
        rounds.append((number, rng.sample(combos, len(combos))))
    for b, q, number in ((b, q, number) for number, pairs in rounds for b, q in pairs):
        if len(rows) == count:
            break
        (base, topic), qualifier = bases["en"][b], QUALIFIERS[q][0]
        en = (f"{base} {qualifier}" if qualifier else base) + _round(number)
        if _words_key(en) in seen["en"]:
            continue
        row = [(en, topic)]
        for index, locale in enumerate(LOCALES[1:], start=1):
            if locale == "zh-TW" and len(rows) % 3:
                row.append((None, None))      # only every third article has a zh-TW version
                continue
            # The Chinese title: the next unused (base, qualifier) pair of that locale.
            pairs = len(bases[locale]) * len(QUALIFIERS)
            for _ in range(pairs):
                n = zh_next[locale]
                zh_next[locale] += 1
                zh_base, zh_topic = bases[locale][zh_order[locale][n % len(bases[locale])]]
                zh_qualifier = QUALIFIERS[(q + n // len(bases[locale])) % len(QUALIFIERS)][index]
                zh = zh_base + zh_qualifier + _round(n // pairs)
                if _words_key(zh) not in seen[locale] and zh not in seen[locale]:
                    break
            else:
                raise ValueError(f"ran out of distinct {locale} titles")
            row.append((zh, zh_topic))
        for locale, (title, _) in zip(LOCALES, row):
            if title is None:
                continue
            seen[locale].add(_words_key(title))
            seen[locale].add(title)
        rows.append(tuple(row))
    return rows


def _round(number: int) -> str:
    """The suffix of a title made in round `number` (none in the first)."""
    return f" {number + 1}" if number else ""


def _en_tokens(count: int, rng: random.Random) -> list[str]:
    tokens, seen = [], set()
    while len(tokens) < count:
        word = "".join(rng.choice(_EN_SYLLABLES) for _ in range(2))
        word += str(rng.randrange(1000, 10000))
        if word not in seen:
            seen.add(word)
            tokens.append(word)
    return tokens


def _han_tokens(count: int, rng: random.Random, forbidden: str) -> list[str]:
    chars = [c for c in dict.fromkeys(RARE_HAN) if c not in forbidden]
    # Three characters; four past about 50,000 articles (the scale benchmark's 100,000).
    length = 3 if len(chars) ** 3 >= count * 2 else 4
    if len(chars) ** length < count * 2:
        raise ValueError("not enough rare characters for this many Chinese articles")
    tokens, seen = [], set()
    while len(tokens) < count:
        token = "".join(rng.sample(chars, length))
        if token not in seen:
            seen.add(token)
            tokens.append(token)
    return tokens


def _body(pool, topic, locale: str, token: str, rng: random.Random) -> str:
    """Markdown body of about EN_WORDS words / ZH_CHARS characters, `token` near the middle.
    `pool`: the locale's texts; `topic`: those of the article's topic."""
    en = locale == "en"
    target = int((EN_WORDS if en else ZH_CHARS) * rng.uniform(0.85, 1.0))  # blocks overshoot
    join = " " if en else ""

    def size(text: str) -> int:
        return len(text.split()) if en else len(text.replace(" ", ""))

    # Mostly the topic's sentences (as an article on one subject would read), some from anywhere.
    used: set[str] = set()

    def pick(kind: str, n: int) -> list[str]:
        picked = []
        while len(picked) < n:
            source = topic if topic[kind] and rng.random() < TOPICAL else pool
            text = rng.choice(source[kind])
            if text not in used or len(used) > len(source[kind]) // 2:
                used.add(text)
                picked.append(text)
        return picked

    blocks: list[list] = []   # [kind, text or list of sentences]
    total = 0
    blocks.append(["p", pick("sentences", rng.randint(2, 3))])
    total += size(join.join(blocks[-1][1]))
    while total < target:
        heading = pick("headings", 1)[0]
        blocks.append(["h", heading])
        total += size(heading)
        for _ in range(rng.randint(1, 2)):
            kind = rng.choices(["p", "ol", "note"], weights=[6, 2, 1])[0]
            picked = pick("sentences", {"p": rng.randint(2, 4), "ol": rng.randint(3, 5),
                                        "note": 1}[kind])
            blocks.append([kind, picked])
            total += size(join.join(picked))
            if total >= target:
                break
    # The distinctive token goes into the paragraph whose middle is nearest the text's middle.
    running, best = 0, None
    for block in blocks:
        length = size(block[1]) if block[0] == "h" else size(join.join(block[1]))
        distance = abs(running + length / 2 - total / 2)
        if block[0] == "p" and (best is None or distance < best[1]):
            best = (block, distance)
        running += length
    paragraph = best[0]
    paragraph[1] = list(paragraph[1])
    i = len(paragraph[1]) // 2
    sentence = paragraph[1][i]
    if en:
        words = sentence.split(" ")
        at = max(1, len(words) // 2)
        paragraph[1][i] = " ".join(words[:at] + [token] + words[at:])
    else:
        at = max(1, len(sentence) // 2)
        paragraph[1][i] = sentence[:at] + token + sentence[at:]

    out = []
    for kind, content in blocks:
        if kind == "h":
            out.append(f"## {content}")
        elif kind == "p":
            out.append(join.join(content))
        elif kind == "ol":
            out.append("\n".join(f"{n}. {s}" for n, s in enumerate(content, 1)))
        else:
            label = "Note" if en else ("注意" if locale == "zh-CN" else "注意")
            out.append(f'!!! note "{label}"\n    {content[0]}')
    return "\n\n".join(out) + "\n"


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")


def _article_file(title: str, description: str, tags: list[str], updated: str, body: str) -> str:
    meta = [f"title: {json.dumps(title, ensure_ascii=False)}",
            f"description: {json.dumps(description, ensure_ascii=False)}",
            f"tags: {json.dumps(tags, ensure_ascii=False)}",
            f"updated: {updated}"]
    return "---\n" + "\n".join(meta) + "\n---\n\n" + body


def generate(folder: str | Path, count: int, seed: int = 0) -> dict:
    """Write a helpgen site folder with `count` articles per locale (zh-TW: every third).

    `folder` is replaced if it exists. Returns {"folder", "known_items" (path of the JSON file),
    "articles" ({locale: number}), "count", "seed"}.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    rng = random.Random(f"helpgen-corpus/{seed}")
    pools = _load_pools()
    titles = _titles(pools, count, rng)
    forbidden = "".join(text for locale in LOCALES
                        for kind in ("sentences", "headings", "titles", "tags")
                        for text in pools[locale][kind])
    en_tokens = _en_tokens(count, rng)
    han_tokens = _han_tokens(count + (count + 2) // 3, rng, forbidden)
    han = iter(han_tokens)

    (folder / "articles").mkdir(parents=True)
    (folder / "helpgen.yml").write_text(
        "site:\n"
        "  title: {en: Tallybook Help Center, zh-CN: Tallybook 帮助中心, zh-TW: Tallybook 說明中心}\n"
        "  url: https://help.tallybook.example/\n"
        "locales:\n  default: en\n  others: [zh-CN, zh-TW]\n", encoding="utf-8")
    sections = []
    for c, ((cat, *cat_titles), secs) in enumerate(CATEGORIES):
        cat_dir = folder / "articles" / cat
        cat_dir.mkdir()
        (cat_dir / "_category.yml").write_text(
            "title: {" + ", ".join(f"{l}: {t}" for l, t in zip(LOCALES, cat_titles)) + "}\n"
            f"order: {c + 1}\n", encoding="utf-8")
        for s, (sec, *sec_titles) in enumerate(secs):
            sec_dir = cat_dir / sec
            sec_dir.mkdir()
            (sec_dir / "_section.yml").write_text(
                "title: {" + ", ".join(f"{l}: {t}" for l, t in zip(LOCALES, sec_titles)) + "}\n"
                f"order: {s + 1}\n", encoding="utf-8")
            sections.append((cat, sec))

    items = []
    used_slugs = set()
    counts = {locale: 0 for locale in LOCALES}
    for n, row in enumerate(titles):
        cat, sec = sections[n % len(sections)]
        slug = _slug(row[0][0]) or f"article-{n}"
        while (cat, sec, slug) in used_slugs:
            slug = f"{slug}-{n}"
        used_slugs.add((cat, sec, slug))
        locales = LOCALES if n % 3 == 0 else LOCALES[:2]
        for locale, (title, topic_name) in zip(LOCALES, row):
            if locale not in locales:
                continue
            pool = pools[locale]
            topic = pool["topics"][topic_name]
            token = en_tokens[n] if locale == "en" else next(han)
            body = _body(pool, topic, locale, token, rng)
            description = rng.choice(topic["sentences"])
            tags = sorted(set(rng.sample(topic["tags"], min(2, len(topic["tags"])))
                              + rng.sample(pool["tags"], 1)))
            updated = f"2026-{1 + (n + len(locale)) % 12:02d}-{1 + (n * 7) % 28:02d}"
            name = f"{slug}.md" if locale == "en" else f"{slug}.{locale}.md"
            path = folder / "articles" / cat / sec / name
            path.write_text(_article_file(title, description, tags, updated, body),
                            encoding="utf-8")
            prefix = "" if locale == "en" else f"{locale}/"
            items.append({"locale": locale, "url": f"{prefix}{cat}/{sec}/{slug}/", "title": title,
                          "token": token, "path": path.relative_to(folder).as_posix()})
            counts[locale] += 1
    known = folder / KNOWN_ITEMS_FILE
    known.write_text(json.dumps({"count": count, "seed": seed, "locales": counts, "items": items},
                                ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {"folder": str(folder), "known_items": str(known), "articles": counts,
            "count": count, "seed": seed}


def known_items(folder: str | Path, locale: str | None = None) -> list[dict]:
    """The known-item test set written by `generate` (optionally of one locale)."""
    data = json.loads((Path(folder) / KNOWN_ITEMS_FILE).read_text(encoding="utf-8"))
    return [item for item in data["items"] if locale is None or item["locale"] == locale]


def main(argv: list[str] | None = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(description="Write a synthetic helpgen site folder.")
    parser.add_argument("folder")
    parser.add_argument("--count", type=int, default=1000, help="articles per locale")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    info = generate(args.folder, args.count, args.seed)
    print(json.dumps(info, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
