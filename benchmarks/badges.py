"""Badge rendering benchmark: naive reportlab+qrcode vs the badges library vs no QR at all.

Run: .venv/bin/python benchmarks/badges.py [--count 1000]
Each measurement runs in a fresh subprocess so no cache is shared between them.
It prints numbers and ratios; it asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from badges import BadgeRecord, render_badges  # noqa: E402
from badges.layouts import LAYOUTS, MM  # noqa: E402
from badges.render import render_layout  # noqa: E402

FIRST = ["Hamad", "Maria", "Dmitry", "Aisha", "John", "Fatima", "Yiannis", "Salim", "Noura", "Ahmed",
         "Laila", "Peter", "Sofia", "Omar", "Chen", "Amal", "Khalid", "Elena", "Rashid", "Zainab"]
MIDDLE = ["bin Saif", "Alejandra", "Sergeevich", "bint Ali", "Paul", "Mohammed", "K.", "bin Nasser", "", ""]
LAST = ["Al Hosni", "Fernández", "Ivanov", "Al Balushi", "Smith", "Al Harthy", "Papadopoulos", "Al Said",
        "Al Lawati", "Müller", "Okafor", "Al Rawahi", "Nakamura", "Al Kindi", "Haddad", "Dubois"]
AR_FIRST = ["حمد", "عائشة", "سالم", "نورة", "خالد", "مريم", "سعيد", "فاطمة", "يوسف", "ليلى"]
AR_MIDDLE = ["بن سيف", "بنت علي", "بن ناصر", "بنت حمد", "بن خلفان"]
AR_LAST = ["الحوسني", "البلوشية", "الحارثي", "السعيدية", "الكندي", "الرواحي", "اللواتي"]
CYRILLIC = ["Дмитрий Иванов", "Анна Петрова", "Сергей Смирнов", "Ольга Кузнецова"]
ORGS = ["وزارة التنمية الاجتماعية", "Ministry of Health", "UNICEF", "Sultan Qaboos University",
        "World Health Organization Regional Office", "", "جامعة السلطان قابوس"]
CATEGORIES = [("Delegate", "مندوب", "#16a34a"), ("Speaker", "متحدث", "#1d4ed8"),
              ("Media", "إعلام", "#f59e0b"), ("Organizing Committee", "اللجنة المنظمة", "#7c3aed")]
COUNTRIES = [("Oman", "عُمان"), ("Egypt", "مصر"), ("Russia", "روسيا"), ("Greece", "اليونان")]


def records(count: int, seed: int = 2027) -> Iterator[BadgeRecord]:
    """Yield deterministic, mostly unique records (a third Arabic, a few Cyrillic)."""
    rng = random.Random(seed)
    for i in range(count):
        if i % 3 == 0:
            name = f"{rng.choice(AR_FIRST)} {rng.choice(AR_MIDDLE)} {rng.choice(AR_LAST)}"
            other = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        elif i % 17 == 0:
            name, other = rng.choice(CYRILLIC), ""
        else:
            name = " ".join(p for p in (rng.choice(FIRST), rng.choice(MIDDLE), rng.choice(LAST)) if p)
            other = f"{rng.choice(AR_FIRST)} {rng.choice(AR_LAST)}"
        cat_en, cat_ar, color = rng.choice(CATEGORIES)
        country_en, country_ar = rng.choice(COUNTRIES)
        yield BadgeRecord(
            name=name, name_other=other, name_latin="", organization=rng.choice(ORGS),
            country_en=country_en, country_ar=country_ar, category_en=cat_en, category_ar=cat_ar,
            category_color=color, code=f"OM-{i:05d}", token="".join(rng.choice("0123456789") for _ in range(39)),
            conference_en="International Conference on Social Development 2027",
            conference_ar="المؤتمر الدولي للتنمية الاجتماعية ٢٠٢٧", dates="23–24 May 2027",
            reissue=2 if i % 50 == 0 else 1,
        )


def render_naive(items: list[BadgeRecord], path: str) -> None:
    """The common way: reportlab Canvas text, and a qrcode PIL image per badge placed with drawImage."""
    import qrcode
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from badges.fit import Style, fit_text
    from badges.prepare import prepare

    design = LAYOUTS["a6"].design
    canvas = Canvas(path, pagesize=(design.width * MM, design.height * MM))
    slots = {name: slot for name, slot in design.text_slots().items()}
    for record in items:
        badge, _ = prepare(record)
        canvas.setFillColor(badge.category_color)
        band = design.band.scaled(MM)
        canvas.rect(band.x, band.y, band.w, band.h, stroke=0, fill=1)
        for field, slot in slots.items():
            fitted = fit_text(getattr(badge, field), slot.box.scaled(MM),
                              Style.of(slot.size, slot.min_size, slot.bold, slot.lines, slot.align))
            canvas.setFillColor(slot.color)
            for line in fitted.lines:
                x = line.x
                for font, text in line.runs:
                    canvas.setFont(font, fitted.size)
                    canvas.drawString(x, line.y, text)
                    x += canvas.stringWidth(text, font, fitted.size)
        box = design.qr.scaled(MM)
        image = qrcode.make(badge.token, border=4).get_image()
        canvas.drawImage(ImageReader(image), box.x, box.y, box.w, box.h)
        canvas.showPage()
    canvas.save()


def measure(mode: str, count: int, memory: str) -> dict[str, float]:
    """Render count badges in one mode into a temporary file; return timings and memory.

    memory: "" (records pre-built in a list, for timing), "rss" (records streamed from a
    generator), or "traced" (streamed, with tracemalloc on, which itself inflates RSS).
    """
    with open(os.devnull, "wb") as sink:
        render_badges(records(3, seed=1), "a6", sink)  # load fonts outside the timing
    items: Iterator[BadgeRecord] | list[BadgeRecord] = records(count) if memory else list(records(count))
    if memory == "traced":
        tracemalloc.start()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
        start = time.perf_counter()
        if mode == "naive":
            render_naive(list(items), out.name)
        elif mode == "library":
            render_badges(items, "a6", out)
        else:
            render_layout(items, LAYOUTS["a6"], out, with_qr=False)
        out.flush()
        elapsed = time.perf_counter() - start
        size = os.path.getsize(out.name)
    peak = tracemalloc.get_traced_memory()[1] if memory == "traced" else 0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": elapsed, "per_second": count / elapsed, "bytes": size,
            "traced_peak": peak, "max_rss": rss_kb * 1024}


def run_child(mode: str, count: int, memory: str = "") -> dict[str, float]:
    """Run one measurement in a fresh interpreter."""
    args = [sys.executable, __file__, "--child", mode, "--count", str(count), "--memory", memory]
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> None:
    """Print throughput of the three ways and the memory growth from 1,000 to 10,000 badges."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--child", choices=["naive", "library", "floor"])
    parser.add_argument("--memory", choices=["", "rss", "traced"], default="")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.count, args.memory)))
        return
    n = args.count
    print(f"Rendering {n:,} A6 badges (one PDF each way, fresh process per run)")
    runs = {mode: run_child(mode, n) for mode in ("naive", "library", "floor")}
    labels = {"naive": "naive (qrcode auto version/mask + PIL image + drawImage)",
              "library": "badges library (vector QR)", "floor": "same layout, no QR (floor)"}
    for mode, result in runs.items():
        print(f"  {labels[mode]:<58} {result['per_second']:9.0f} badges/s  "
              f"{result['seconds']:6.2f} s  {result['bytes'] / n:7.0f} bytes/badge")
    lib = runs["library"]["per_second"]
    print(f"  library / naive = {lib / runs['naive']['per_second']:.1f}x   (target >= 8x)")
    print(f"  library / floor = {lib / runs['floor']['per_second']:.2f}x  (target >= 0.4x)")
    print("Peak memory while rendering (library, records streamed from a generator):")
    for label, key, memory in (("tracemalloc peak", "traced_peak", "traced"), ("max RSS of process", "max_rss", "rss")):
        small, large = run_child("library", 1000, memory), run_child("library", 10000, memory)
        ratio = large[key] / small[key]
        print(f"  {label:<20} 1,000: {small[key] / 2**20:7.2f} MiB   10,000: {large[key] / 2**20:7.2f} MiB"
              f"   ratio {ratio:.2f}  (target <= 1.2)")


if __name__ == "__main__":
    main()
