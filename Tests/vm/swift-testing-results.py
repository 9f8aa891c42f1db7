#!/usr/bin/env python3
"""Turns a Swift Testing xUnit report into the VM suite's PASS/FAIL lines.

usage: swift-testing-results.py XUNIT PREFIX EXIT_STATUS [--skipped-is-failure] [--log FILE]

One line per test case. A missing or unreadable report, a report with no test cases, or a
non-zero exit status with no failing case (a crash) is itself a FAIL, so a test binary that
never ran can never look like success.
"""
import argparse
import os
import sys
import xml.etree.ElementTree as ET


def one_line(text):
    return " ".join((text or "").split())[:300]


def tail(path, lines=5):
    try:
        with open(path, errors="replace") as f:
            return " | ".join(l.strip() for l in f.readlines()[-lines:])
    except OSError:
        return "(no output)"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("xunit")
    p.add_argument("prefix")
    p.add_argument("status", type=int)
    p.add_argument("--skipped-is-failure", action="store_true")
    p.add_argument("--log")
    a = p.parse_args()

    if not os.path.exists(a.xunit):
        print(f"FAIL {a.prefix}: no test report (exit {a.status}): {tail(a.log) if a.log else ''}")
        return
    try:
        root = ET.parse(a.xunit).getroot()
    except ET.ParseError as e:
        print(f"FAIL {a.prefix}: unreadable test report: {e}")
        return

    cases = root.findall(".//testcase")
    if not cases:
        print(f"FAIL {a.prefix}: the filter matched no tests (exit {a.status})")
        return
    failed = 0
    for case in cases:
        suite = case.get("classname", "").split(".", 1)[-1]
        name = f"{a.prefix}/{suite}.{case.get('name', '?')}"
        failure = case.find("failure")
        error = case.find("error")
        skipped = case.find("skipped")
        if failure is not None or error is not None:
            node = failure if failure is not None else error
            reason = one_line(node.get("message") or node.text) or "failed"
            print(f"FAIL {name}: {reason}")
            failed += 1
        elif skipped is not None:
            reason = one_line(skipped.get("message") or skipped.text) or "skipped"
            if a.skipped_is_failure:
                print(f"FAIL {name}: skipped in the VM: {reason}")
                failed += 1
            else:
                print(f"PASS {name} (skipped: {reason})")
        else:
            print(f"PASS {name}")
    if a.status != 0 and failed == 0:
        print(f"FAIL {a.prefix}: test binary exited {a.status} with no failing test: "
              f"{tail(a.log) if a.log else ''}")


if __name__ == "__main__":
    sys.exit(main())
