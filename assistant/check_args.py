"""The arguments of `jixiao check`, apart from the command (assistant.check_cli): building the
`jixiao` parser then imports none of the validator, which every other command would pay for."""

from __future__ import annotations

import argparse
from pathlib import Path

SEVERITIES = ("error", "warning", "hint")  # as assistant.findings.SEVERITY_ORDER (checked in tests)


def _run(args: argparse.Namespace) -> int:
    from .check_cli import cmd_check

    return cmd_check(args)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", type=Path,
                   help="要校验的绩效目标表（.txt / .docx / .xlsx），可以是多个文件或文件夹")
    p.add_argument("--corpus", action="store_true", help="校验内置语料中的全部项目，按规则和文件统计")
    p.add_argument("--summary", action="store_true", help="只打印汇总表（文件、项目、错误、警告、结论）")
    p.add_argument("--severity", choices=list(SEVERITIES), default="hint",
                   help="最低显示级别：error 只显示错误，warning 显示错误和警告，hint 全部显示（默认）")
    p.add_argument("--no-precedents", action="store_true", help="不与语料中的先例比较（只做规则校验）")
    p.add_argument("--no-index", action="store_true", help="不用检索索引，逐行比对整个语料找先例")
    p.add_argument("--report-xlsx", type=Path, metavar="PATH", help="另把审核意见写成 Excel（文件或文件夹）")
    p.add_argument("--report-docx", type=Path, metavar="PATH", help="另把审核意见写成 Word（文件或文件夹）")
    p.add_argument("--json", action="store_true", help="输出JSON")
    p.set_defaults(func=_run)


def register(subparsers) -> None:
    """Add the `check` subcommand to `jixiao`'s argparse subparsers."""
    add_arguments(subparsers.add_parser("check", help="按审核规则校验绩效目标表或一批文件（有错误时退出码为1，有文件读不了时为2，数据损坏无法重建时为3）"))
