"""Certificate rendering benchmark: pages per second against the badge batch's, and memory from 1,000 to 10,000.

Run: .venv/bin/python benchmarks/certificates.py [--count 5000]
The delegates are the badge benchmark's (benchmarks/badges.py: a third Arabic, a few Cyrillic), each on an A4
certificate with its QR code, a signature image, and sessions listed for every third one. Each measurement runs in
a fresh subprocess; the badges are measured by the badge benchmark's own child. It prints numbers and ratios.
"""
from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from conference.certificates.document import CertificateRecord, Facing, write_certificates  # noqa: E402

_spec = importlib.util.spec_from_file_location("badge_benchmark", ROOT / "benchmarks" / "badges.py")
badge_benchmark = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(badge_benchmark)

URL = "https://conference.example.org/verify/"
SESSIONS = (Facing("Sun 23 May · 09:00–10:30 · Opening plenary: child helplines in a changing world",
                   "الأحد 23 مايو · 09:00–10:30 · الجلسة الافتتاحية: خطوط نجدة الطفل في عالم متغير"),
            Facing("Sun 23 May · 11:00–12:30 · Counting calls that matter: data for advocacy",
                   "الأحد 23 مايو · 11:00–12:30 · إحصاء المكالمات المهمة: البيانات في خدمة المناصرة"),
            Facing("Mon 24 May · 09:00–10:00 · Helplines online: chat, text and social media",
                   "الاثنين 24 مايو · 09:00–10:00 · خطوط المساندة عبر الإنترنت: الدردشة والرسائل"))


def _signature() -> bytes:
    image = Image.new("RGB", (400, 160), "white")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def certificates(count: int) -> Iterator[CertificateRecord]:
    """One certificate per badge benchmark delegate, generated lazily."""
    signature = _signature()
    for i, badge in enumerate(badge_benchmark.records(count)):
        code = secrets.token_urlsafe(16)
        listed = i % 3 == 0
        yield CertificateRecord(
            title=Facing("Certificate of Attendance", "شهادة حضور"),
            conference=Facing(badge.conference_en, badge.conference_ar),
            organizer=Facing("Ministry of Social Development", "وزارة التنمية الاجتماعية"),
            dates=Facing(badge.dates, "23–24 مايو 2027"), intro=Facing("This is to certify that", "نشهد بأن"),
            name=badge.name, name_latin=badge.name_other if i % 3 == 0 else "",
            wording=Facing("attended the conference in Muscat, Oman.", "حضر المؤتمر في مسقط، سلطنة عُمان."),
            heading=Facing("Sessions attended", "الجلسات التي حضرها") if listed else Facing("Days attended",
                                                                                            "أيام الحضور"),
            rows=SESSIONS if listed else (Facing("Sunday 23 May 2027", "الأحد 23 مايو 2027"),
                                          Facing("Monday 24 May 2027", "الاثنين 24 مايو 2027")),
            summary=Facing("Days attended: May 23, May 24 · Hours: 4", "أيام الحضور: 23 مايو، 24 مايو · الساعات: 4")
            if listed else None,
            signatory_name="Dr. Amal Al-Mansoori", signatory_title="Chair of the Organizing Committee", code=code,
            url=URL + code, verify_label=Facing("Verify this certificate", "تحقق من هذه الشهادة"),
            signature=signature)


def measure(count: int, memory: str) -> dict[str, float]:
    """Render `count` certificates into a temporary file; timings and memory ("" timing with records built
    beforehand, "rss" / "traced": records streamed from a generator)."""
    with open(os.devnull, "wb") as sink:
        write_certificates(certificates(3), sink)  # fonts loaded outside the timing
    items = certificates(count) if memory else list(certificates(count))
    if memory == "traced":
        tracemalloc.start()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
        start = time.perf_counter()
        pages = write_certificates(items, out)
        out.flush()
        elapsed = time.perf_counter() - start
        size = os.path.getsize(out.name)
    peak = tracemalloc.get_traced_memory()[1] if memory == "traced" else 0
    return {"pages": pages, "seconds": elapsed, "per_second": pages / elapsed, "bytes": size, "traced_peak": peak,
            "max_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def run_child(count: int, memory: str = "") -> dict[str, float]:
    args = [sys.executable, __file__, "--child", "--count", str(count), "--memory", memory]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--memory", choices=["", "rss", "traced"], default="")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.count, args.memory)))
        return
    n = args.count
    print(f"Rendering {n:,} A4 certificates and {n:,} A6 badges (one PDF each, fresh process per run)")
    certificate = run_child(n)
    badge = badge_benchmark.run_child("library", n)
    print(f"  certificates  {certificate['per_second']:8.0f} pages/s  {certificate['seconds']:6.2f} s  "
          f"{certificate['bytes'] / n:7.0f} bytes/page")
    print(f"  badges (a6)   {badge['per_second']:8.0f} pages/s  {badge['seconds']:6.2f} s")
    print(f"  certificates / badges = {certificate['per_second'] / badge['per_second']:.2f}x   (target >= 0.5x)")
    print("Peak memory while rendering certificates (records streamed from a generator):")
    for label, key, memory in (("tracemalloc peak", "traced_peak", "traced"), ("max RSS of process", "max_rss", "rss")):
        small, large = run_child(1000, memory), run_child(10000, memory)
        print(f"  {label:<20} 1,000: {small[key] / 2**20:7.2f} MiB   10,000: {large[key] / 2**20:7.2f} MiB"
              f"   ratio {large[key] / small[key]:.2f}  (target <= 1.2)")


if __name__ == "__main__":
    main()
