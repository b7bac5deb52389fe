"""The ``cop-widgets`` command: thin calls into the package."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import CopWidgetsError, NotFound
from .i18n import LANGUAGES

__all__ = ["main"]

DEFAULT_PORT = 8866
DEFAULT_HOST = "127.0.0.1"


def _demo(args: argparse.Namespace) -> int:
    from .demo import seed_demo
    from .store import Store

    with Store(args.db) as store:
        demo = seed_demo(store, seed=args.seed, anonymous=not args.named,
                         discussion=not args.no_discussion)
    base = args.base_url or f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
    print(f"Demo consultation {demo.consultation_id} seeded in {store.url}")
    if demo.discussion is not None:
        d = demo.discussion
        print(f"Discussion of reasons open: {d.endorsements} \u201cSpeaks for me too\u201d "
              f"marks, {d.replies} replies ({d.pending} awaiting the facilitator), "
              f"{d.revised} members changed a stance after reading.")
    for line in _facilitator_workbook_lines(args.db):
        print(line)
    print(f"Results page: {demo.results_link(base)}")
    print(f"Member links ({len(demo.tokens)}; {len(demo.responded)} have already answered):")
    for member_id, link in demo.links(base).items():
        mark = "answered" if member_id in demo.responded else "not yet"
        print(f"  {demo.names[member_id]} ({mark}): {link}")
    return 0


def _facilitator_workbook_lines(db: str | None) -> list[str]:
    """Where the demo's facilitator opens the workbench: this folder's workbook, or init."""
    from pathlib import Path

    from .io.workbooks import is_workbook_folder
    from .store.engine import resolve_url, shown_url

    here = Path.cwd()
    if is_workbook_folder(here):
        lines = [f"Facilitator workbook: {here.absolute() / 'facilitator.ipynb'} "
                 "(open it in JupyterLab from this folder: jupyter lab facilitator.ipynb)"]
    else:
        lines = ["Facilitator workbook: `cop-widgets init` writes the workbooks into this "
                 "folder; then open facilitator.ipynb here in JupyterLab "
                 "(jupyter lab facilitator.ipynb)."]
    if db and resolve_url(db) != resolve_url(None):
        # the workbook reads $COP_WIDGETS_DB, else cop-widgets.db in its folder
        lines.append(f"(start JupyterLab with COP_WIDGETS_DB={shown_url(resolve_url(db))} "
                     "for the workbook to open this database)")
    return lines


def _init(args: argparse.Namespace) -> int:
    import shlex
    from pathlib import Path

    from .io.workbooks import write_workbooks

    result = write_workbooks(Path(args.folder), force=args.force)  # refusals: see main()
    print(f"Wrote into {result.folder}:")
    for path in result.files:
        print(f"  {path.name}")
    print("Next, from that folder:")
    if result.folder != Path.cwd().absolute():
        print(f"  cd {shlex.quote(str(result.folder))}")
    print("  cop-widgets serve                  (serves these workbooks; prints the "
          "facilitator link)")
    print("  jupyter lab facilitator.ipynb      (the facilitator workbench)")
    print("Both use the database cop-widgets.db in that folder unless COP_WIDGETS_DB "
          "names another (see README.md).")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .jupyter.serve import serve

    return serve(args.db, args.port, args.host, preheat=args.preheat,
                 fill_delay=args.fill_delay, public_url=args.public_url,
                 max_kernels=args.max_kernels, max_pages_per_link=args.max_pages_per_link)


def _import_polis(args: argparse.Namespace) -> int:
    from .services.importing import import_polis
    from .store import Store

    with Store(args.db) as store:
        consultation = import_polis(store, args.folder)
        statements = len(store.list_statements(consultation.id, states=None))
        respondents = store.count_respondents(consultation.id)
    print(f"Imported {args.folder}: {statements} statements, {respondents} participants "
          "with votes.")
    print(consultation.id)
    return 0


def _analyze(args: argparse.Namespace) -> int:
    import json

    from .export.analysis_data import analysis_data, format_text
    from .services.analysis import ConsultationAnalysis
    from .store import Store

    with Store(args.db, existing=True) as store:
        result = analysis_data(ConsultationAnalysis(store, args.consultation),
                               k=args.groups, attribute=args.attribute)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_text(result))
    return 0


def _export_polis(args: argparse.Namespace) -> int:
    from .services.analysis import ConsultationAnalysis
    from .services.exporting import export_polis
    from .store import Store

    with Store(args.db, existing=True) as store:
        groups = ConsultationAnalysis(store, args.consultation).groups(args.groups)
        folder = export_polis(store, args.consultation, args.out, groups=groups,
                              include_unmoderated=args.unmoderated)
    print(folder)
    return 0


def _export(args: argparse.Namespace) -> int:
    from .export.api import export_consultation
    from .store import Store

    with Store(args.db, existing=True) as store:
        files = export_consultation(store, args.consultation, args.format, args.out,
                                    charts=not args.no_charts, attribute=args.attribute,
                                    language=args.lang)
    for path in files:
        print(path)
    return 0


def _mail(args: argparse.Namespace) -> int:
    """Run one email action (or .eml files); print the counts; watch if asked."""
    import os
    import time

    from .model.mail import MailRoute
    from .services.mail_actions import mail_members
    from .store import Store
    from .words.mail import composer

    route = MailRoute(smtp=args.smtp or "", eml_dir=args.eml_dir or "",
                      from_address=args.from_address or os.environ.get(
                          "COP_WIDGETS_MAIL_FROM", "cop-widgets@localhost"),
                      reply_to=args.reply_to or "", rate=args.rate,
                      ca_file=args.smtp_ca_file or "")
    password = _smtp_password(route.user) if args.smtp else None
    base = args.base_url or f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
    action = {"invite": "invite", "remind": "remind", "send": "waiting"}.get(
        args.command, getattr(args, "what", None))
    where = "written" if args.eml_dir else "sent"
    watch = getattr(args, "watch", None)
    failed = 0
    with Store(args.db, existing=True) as store:
        while True:
            report = mail_members(store, args.consultation, action, route, password=password,
                                  compose=composer(store, args.consultation, base))
            failed += report.failed
            if report.finishing:
                print("Finishing the earlier run: only its unsent messages were sent.")
            if not watch or report.sent or report.failed:
                print(f"{report.sent} {where}, {report.failed} failed, "
                      f"{report.skipped} skipped", flush=True)
            for address, code, reply in report.failures:
                print(f"failed: {address}: {code or ''} {reply}".rstrip(), file=sys.stderr)
            if not watch:
                break
            try:
                time.sleep(watch)
            except KeyboardInterrupt:
                break
    return 1 if failed else 0


def _smtp_password(user: str) -> str | None:
    """Return the SMTP password: $COP_WIDGETS_SMTP_PASSWORD, else a prompt on a terminal."""
    import getpass
    import os

    from .errors import ValidationError

    if not user:
        return None
    password = os.environ.get("COP_WIDGETS_SMTP_PASSWORD")
    if password is None and sys.stdin.isatty():
        password = getpass.getpass(f"SMTP password for {user}: ")
    if not password:
        raise ValidationError("password", "no-smtp-password", show_value=False, user=user)
    return password


def _add_mail_commands(sub, db_help: str) -> None:
    """Add ``invite``, ``remind``, ``notify`` and ``send``."""
    for name, text in (
            ("invite", "email each member with an address who was never invited their "
                       "personal link (a rerun sends only what was not sent)"),
            ("remind", "email a new link to invited members who have not answered (every "
                       "invited member when anonymous); the old link stops working"),
            ("notify", "email every member with a working link that a draft is put to them "
                       "for endorsement (with a new link; the old one stops working) or that "
                       "the results are public; a rerun sends nobody a second one"),
            ("send", "send the messages waiting in the outbox (receipts of submitted cards, "
                     "unsent messages of an interrupted run), and nothing new")):
        command = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        command.add_argument("consultation", type=int, metavar="ID")
        if name == "notify":
            command.add_argument("--what", required=True, choices=("endorsement", "results"),
                                 help="endorsement: a draft is put to the members; results: "
                                      "the results are public")
        if name == "send":
            command.add_argument("--watch", type=float, metavar="SECONDS",
                                 help="keep running, sending what arrives every SECONDS "
                                      "(receipts during a workshop); stop with Ctrl-C")
        command.add_argument("--db", help=db_help)
        where = command.add_mutually_exclusive_group(required=True)
        where.add_argument("--smtp", metavar="URL",
                           help="smtp://[user@]host:port (STARTTLS) or smtps://... (TLS); "
                                "password from $COP_WIDGETS_SMTP_PASSWORD or a prompt")
        where.add_argument("--eml-dir", metavar="DIR",
                           help="write one .eml file per message into DIR instead")
        command.add_argument("--base-url", help="where members open their pages (default "
                                                f"http://{DEFAULT_HOST}:{DEFAULT_PORT})")
        command.add_argument("--from", dest="from_address", metavar="ADDRESS",
                             help="sender (default $COP_WIDGETS_MAIL_FROM, else "
                                  "cop-widgets@localhost)")
        command.add_argument("--reply-to", metavar="ADDRESS")
        command.add_argument("--rate", type=float, metavar="N",
                             help="at most N messages per minute")
        command.add_argument("--smtp-ca-file", metavar="PEM",
                             help="trust only these certificate authorities (a self-signed "
                                  "server)")
        command.set_defaults(func=_mail)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``cop-widgets`` command."""
    parser = argparse.ArgumentParser(
        prog="cop-widgets",
        description="Facilitate a community of practice's joint response in Jupyter and Voila.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    db_help = ("database URL (default: $COP_WIDGETS_DB, else sqlite:///cop-widgets.db in "
               "the working directory)")

    demo = sub.add_parser("demo", help="seed a demo consultation and print the links")
    demo.add_argument("--db", help=db_help)
    demo.add_argument("--base-url", help="where `cop-widgets serve` runs, for the links "
                                         f"(default http://{DEFAULT_HOST}:{DEFAULT_PORT})")
    demo.add_argument("--seed", type=int, default=7, help="random seed of the positions")
    demo.add_argument("--named", action="store_true",
                      help="make the consultation named instead of anonymous")
    demo.add_argument("--no-discussion", action="store_true",
                      help="leave the discussion of reasons unopened (by default members "
                           "have read, marked and replied to each other's reasons)")
    demo.set_defaults(func=_demo)

    init = sub.add_parser(
        "init", help="write the workbooks and a README into a folder of your own",
        description="Write the workbooks (facilitator, member, results, endorse, analysis) "
                    "and a README into FOLDER. `cop-widgets serve` started in that folder "
                    "serves them, and the database is cop-widgets.db there unless "
                    "$COP_WIDGETS_DB or --db names another. No file is overwritten without "
                    "--force.")
    init.add_argument("folder", nargs="?", default=".",
                      help="where to write (default: the working directory; created if absent)")
    init.add_argument("--force", action="store_true",
                      help="overwrite workbooks and README.md already in the folder")
    init.set_defaults(func=_init)

    serve = sub.add_parser(
        "serve", help="serve the workbooks with Voila",
        description="Serve the member, results, endorsement and facilitator pages with Voila. "
                    "The facilitator page opens with the link printed at start, whose key is "
                    "$COP_WIDGETS_FACILITATOR_KEY if set, else kept in a file readable by you "
                    "only (beside a SQLite database: DB.facilitator-key; for another "
                    "database, in ~/.config/cop-widgets/), so the link stays the same from "
                    "one start to the next; delete the file to change it.")
    serve.add_argument("--db", help=db_help)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--preheat", type=int, default=0, metavar="N",
                       help="keep N kernels started for member pages (Voila preheat)")
    serve.add_argument("--max-kernels", type=int, metavar="N",
                       help="answer page requests 503 (try again later) while N kernels run; "
                            "0 for no cap (default: the --preheat pool plus 40)")
    serve.add_argument("--max-pages-per-link", type=int, metavar="N",
                       help="answer a member's link 429 (try again later) while it holds N "
                            "open pages; 0 for no limit (default: 5)")
    serve.add_argument("--fill-delay", type=float, metavar="SECONDS",
                       help="with --preheat: wait this long before refilling the pool (for a "
                            "workshop burst, 120 with a pool as large as the burst: "
                            "the refill must start after the pages have loaded)")
    serve.add_argument("--public-url", metavar="URL",
                       help="where members reach the pages when not http://HOST:PORT/, e.g. "
                            "https://hub.example.org/services/cop/ (its path is served; "
                            "default path: $JUPYTERHUB_SERVICE_PREFIX, else /)")
    serve.set_defaults(func=_serve)

    polis = sub.add_parser("import-polis", help="import a Pol.is export folder; prints the "
                                                "new consultation's id on the last line")
    polis.add_argument("folder", help="folder with comments.csv and votes.csv "
                                      "(participants-votes.csv and summary.csv optional)")
    polis.add_argument("--db", help=db_help)
    polis.set_defaults(func=_import_polis)

    analyze = sub.add_parser("analyze", help="print a consultation's analysis")
    analyze.add_argument("consultation", type=int, help="consultation id")
    analyze.add_argument("--db", help=db_help)
    analyze.add_argument("--format", choices=["json", "text"], default="text")
    analyze.add_argument("--groups", type=int, metavar="K",
                         help="number of opinion groups (default: chosen by silhouette)")
    analyze.add_argument("--attribute", help="member attribute to report cruxes for")
    analyze.set_defaults(func=_analyze)

    polis_out = sub.add_parser(
        "export-polis", help="write a consultation as a Pol.is export folder (comments.csv, "
                             "votes.csv, participants-votes.csv, summary.csv)")
    polis_out.add_argument("consultation", type=int, help="consultation id")
    polis_out.add_argument("--db", help=db_help)
    polis_out.add_argument("--out", required=True, help="folder to write")
    polis_out.add_argument("--groups", type=int, metavar="K",
                           help="number of opinion groups (default: chosen by silhouette)")
    polis_out.add_argument("--unmoderated", action="store_true",
                           help="also write pending proposals and rejected ones, which no "
                                "member was shown (never with their authors in an anonymous "
                                "consultation)")
    polis_out.set_defaults(func=_export_polis)

    export = sub.add_parser("export", help="export the joint response")
    export.add_argument("consultation", type=int, help="consultation id")
    export.add_argument("--db", help=db_help)
    export.add_argument("--format", choices=["md", "html", "docx"], required=True)
    export.add_argument("--out", required=True, help="file to write")
    export.add_argument("--no-charts", action="store_true",
                        help="leave charts out (Markdown: no image files beside it)")
    export.add_argument("--attribute", help="member attribute to compare groups by "
                                            "(default: the first on the roster)")
    export.add_argument("--lang", choices=LANGUAGES,
                        help="language of the export (default: the consultation's)")
    export.set_defaults(func=_export)
    _add_mail_commands(sub, db_help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CopWidgetsError as exc:
        where = ""
        if isinstance(exc, NotFound) and hasattr(args, "db"):
            where = f" (in the database {_shown_url(args.db)})"
        print(f"cop-widgets: {exc}{where}", file=sys.stderr)
        return 2


def _shown_url(db: str | None) -> str:
    """Return the database URL a command used, password hidden."""
    from .store.engine import resolve_url, shown_url

    return shown_url(resolve_url(db))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
