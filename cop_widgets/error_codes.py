"""Every rule an error can name: a stable code and its English template (the msgid).

:class:`cop_widgets.errors.ValidationError` takes a code of :data:`RULES` and the named
parameters of its template; ``str(exc)`` fills the template in English and a page fills
its translation. Code and parameters are the contract: a template may be reworded (its
translations then follow through the catalogues), a code may not be renamed while callers
or pages choose by it.
"""

from __future__ import annotations

from .i18n import N_

__all__ = ["RULES", "WORDS", "PLACE_CSV", "PLACE_PASTED"]

#: The "file" of a :class:`~cop_widgets.errors.Place` in an uploaded CSV file, and the
#: field of a problem with the whole file.
PLACE_CSV = "CSV file"
#: The "file" of statements pasted one a line.
PLACE_PASTED = "pasted statements"

#: Code -> English template, with ``{named}`` parameters.
RULES: dict[str, str] = {
    # any text, id, date or choice (model.fields, model.choices)
    "not-text": N_("must be text"),
    "empty": N_("must not be empty"),
    "too-long": N_("must be at most {limit} characters, not {length}"),
    "nul-character": N_("must not contain NUL characters"),
    "unpaired-surrogate": N_("must not contain unpaired surrogate characters"),
    "not-an-id": N_("must be a positive whole number (at most {limit})"),
    "not-a-count": N_("must be 0 or a positive whole number"),
    "no-database": N_("is not there: no file {path} (give --db URL, or set COP_WIDGETS_DB)"),
    "required": N_("is required"),
    "not-a-date": N_("must be a date (YYYY-MM-DD)"),
    "not-a-moment-text": N_("must be a date and time (YYYY-MM-DDTHH:MM)"),
    "not-a-moment": N_("must be a date and time"),
    "moment-out-of-range": N_("must be a date and time between years 1 and 9999 (UTC)"),
    "not-a-boolean": N_("must be true or false"),
    "not-one-of": N_("must be one of {allowed}"),
    # cop-widgets init
    "would-overwrite": N_("already holds {files}: nothing was written (add --force to "
                          "overwrite them)"),
    "not-a-folder": N_("is a file, not a folder"),
    # developments and consultations
    "not-a-link": N_("must start with http:// or https://"),
    "not-a-question-list": N_("must be a list of questions"),
    "too-many-questions": N_("must be at most {limit} questions"),
    "request-only": N_("is only for a request for opinion"),
    "request-requires": N_("is required for a request for opinion"),
    "request-needs-question": N_("a request for opinion needs at least one question"),
    "not-a-position": N_("must be a whole number from 0 to {limit}"),
    # the roster
    "not-an-email": N_("must look like name@example.org"),
    "not-a-mapping": N_("must be a mapping of names to values"),
    "too-many-attributes": N_("must be at most {limit} attributes"),
    "reserved-attribute": N_("must not be one of {reserved}"),
    "not-a-token-hash": N_("must be a SHA-256 hex digest"),
    # cards, drafts and endorsements
    "not-a-stance": N_("must be a level of the scale or a pass"),
    "not-a-response-list": N_("must be a list of stance responses"),
    "not-a-response": N_("must be a stance response"),
    "response-fields": N_("must be a stance response ({detail})"),
    "answered-twice": N_("answers a statement twice"),
    "off-the-scale": N_("must be one of {levels} or a pass on the scale {scale}"),
    "no-sections": N_("must name at least one section"),
    "empty-draft": N_("at least one section must have text: members would be asked to "
                      "endorse an empty response"),
    "block-needs-reason": N_("a block needs a reason"),
    # the store's refusals
    "not-found": N_("{entity} {key} does not exist"),
    "token-missing": N_("is missing or malformed"),
    "token-unknown": N_("is not a valid invitation for this consultation"),
    "token-revoked": N_("has been revoked; ask the facilitator for a new link"),
    "link-incomplete": N_("is missing: open the link you were sent"),
    "consultation-draft": N_("{what} are not accepted: the consultation is draft, not open"),
    "consultation-closed": N_("{what} are not accepted: the consultation is closed, not open"),
    "deadline-passed": N_("{what} are not accepted: the deadline {deadline} has passed"),
    "endorsements-not-open": N_("endorsements open with the consultation"),
    "endorsement-closed": N_("answers are no longer accepted, since the facilitator has "
                             "closed the consultation"),
    "draft-superseded": N_("version {version} has been replaced by version {latest}; "
                           "answer the latest version"),
    "not-a-member-here": N_("must be a member of this consultation"),
    "not-a-statement-here": N_("must be a statement of this consultation"),
    "not-all-here": N_("must all belong to this consultation"),
    "not-a-draft-here": N_("must be a draft of this consultation"),
    "not-on-the-card": N_("is {state}, not on the card"),
    "empty-submission": N_("answer at least one statement (or choose 'pass / unsure') "
                           "before submitting"),
    "scale-locked": N_("cannot change after members saved cards"),
    "anonymity-locked": N_("cannot be turned off once members have answered or proposed: "
                           "they did so on the promise that no name would be shown"),
    "statement-answered": N_("cannot change once members have answered; withdraw it and add "
                             "a new statement instead"),
    "member-cannot-move": N_("a member cannot move"),
    "statement-cannot-move": N_("a statement cannot move"),
    "id-fixed": N_("cannot be changed"),
    "not-changeable": N_("is not a field that can be changed"),
    "open-needs-statement": N_("a consultation needs an accepted statement to open"),
    "open-after-deadline": N_("has passed: set a later deadline before opening"),
    "round-needs-open": N_("a new round follows an open or closed consultation; open this "
                           "draft first"),
    "not-an-imported-member": N_("must name an imported member"),
    "not-an-imported-statement": N_("must name an imported statement"),
    "off-the-scale-import": N_("must be one of {levels} or a pass"),
    # files people upload or paste (io)
    "no-file": N_("choose a file first (button \u201cChoose CSV file\u201d)"),
    "not-utf8-upload": N_("must be UTF-8 text (in a spreadsheet: Save as \u201cCSV UTF-8\u201d)"),
    "not-csv": N_("is not valid CSV ({detail})"),
    "csv-empty": N_("is empty; the first line must name the columns"),
    "column-twice": N_("names a column twice (capitals aside): each column must have its "
                       "own name"),
    "no-name-column": N_("needs a column called name on its first line"),
    "too-many-cells": N_("has more cells than the first line has columns"),
    "no-members": N_("has no members below its first line"),
    "no-statements": N_("has no statements below its header line"),
    "nothing-pasted": N_("write or paste at least one statement"),
    "reserved-name": N_("{key} is a reserved name; call the attribute something else"),
    "attribute-syntax": N_("write each as name=value, separated by ;"),
    "attribute-unnamed": N_("each value needs a name before ="),
    "attribute-twice": N_("gives {key} twice"),
    # a Pol.is export (io.polis_read)
    "file-missing": N_("is missing from the export folder {folder}"),
    "file-unreadable": N_("cannot be read ({detail})"),
    "not-utf8": N_("is not UTF-8 text"),
    "no-header": N_("is empty; it needs a header line"),
    "column-missing": N_("is missing (the header has {header})"),
    "field-count": N_("has {count} fields where the header has {expected}"),
    "unreadable-value": N_("has a value that could not be read"),
    "not-a-polis-time": N_("must be a time in milliseconds or seconds since 1970"),
    "not-a-polis-id": N_("must be a whole number, 0 or more"),
    "not-a-polis-optional-id": N_("must be a whole number, 0 or more, or empty"),
    "not-a-polis-vote": N_("must be -1, 0 or 1"),
    "id-repeated-above": N_("repeats an id already used above"),
    "id-repeated": N_("repeats an id"),
    "summary-line": N_("needs a key and a value on each line"),
    "not-an-export": N_("is not a folder holding a Pol.is export"),
    "unknown-comment": N_("is not a comment-id of comments.csv"),
    # analysis, export and serving
    "not-a-group-count": N_("must be a whole number of groups, at least 1"),
    "frame-column": N_("needs a column {column}"),
    "off-the-scale-frame": N_("must be a level of the scale {scale} or a pass"),
    "not-an-attribute": N_("must be an attribute of the roster: {attributes}"),
    "no-attributes": N_("the roster has no attribute to compare by"),
    "folder-not-file": N_("must be a file, not a folder"),
    "not-a-public-url": N_("must be an http:// or https:// URL with a host, such as "
                           "https://hub.example.org/services/cop/"),
    "url-query": N_("must not have a query or a fragment"),
    # the facilitator's and the member's forms
    "not-a-base-url": N_("must start with http:// or https:// and have no spaces"),
    "choose-member": N_("choose a member first"),
    "choose-statement": N_("choose a statement first"),
    "statement-gone": N_("is no longer on the card; the list is refreshed"),
    "time-without-date": N_("is needed with a deadline time; choose a date, or clear the "
                            "time for no deadline"),
    "development-unsaved": N_("could not be saved; check its fields"),
    "reason-without-stance": N_("is needed to keep the reason you wrote: choose an answer, "
                                "or 'pass / unsure'"),
    # how much one member may write (model.policies; whole sentences for the member page)
    "too-many-pending-proposals": N_("you have {limit} proposals awaiting the facilitator; "
                                     "you can propose more once they are reviewed"),
    "saving-too-often": N_("you have saved {limit} times in the last {minutes} minutes; "
                           "your answers are still on this page: save them again after "
                           "{until}"),
    "too-many-revisions": N_("you have saved your card {limit} times in this round, the "
                             "most a card may be saved; your latest saved version stands"),
    # the joint response's steps: saved privately, put to the members, finalised
    "final-not-shared": N_("a version is finalised only after it was put to the members"),
    "response-finalised": N_("the joint response was finalised on {moment}: its text and "
                             "the members' answers are final"),
    "draft-not-shared": N_("version {version} has not been put to the members"),
    "share-needs-open": N_("a version is put to the members while the consultation is open"),
    "share-older-version": N_("version {version} is older than version {shared}, which the "
                              "members have; save its text again as a new version to put "
                              "it back to them"),
    "nothing-to-finalise": N_("put a version to the members before finalising the response"),
    # the discussion phase: members meet each other's reasons (store.discussion)
    "discussion-needs-open": N_("a discussion of reasons opens while the consultation is "
                                "open"),
    "discussion-not-open": N_("the discussion of reasons is not open at the moment"),
    "submit-first": N_("submit your answers first; then you can respond to other members' "
                       "reasons"),
    "no-such-reason": N_("this reason is no longer there: its author may have changed or "
                         "removed it"),
    "own-reason": N_("this is your own reason; you can respond to other members' reasons"),
    "reason-not-shown": N_("you can respond only to a reason you have been shown"),
    "too-many-pending-replies": N_("you have {limit} replies awaiting the facilitator; you "
                                   "can reply more once they are reviewed"),
    "stance-unchanged": N_("your answer is the same as before: a reason is credited only "
                           "with a change of answer"),
    "credit-elsewhere": N_("the reason you credit must be one given under the statement "
                           "whose answer you changed"),
    # email: the community's SMTP server, or .eml files (model.mail, cli)
    "not-a-port": N_("must be a port number from 1 to 65535"),
    "not-an-smtp-url": N_("must look like smtp://[user@]host:port or smtps://[user@]host:port"),
    "not-a-rate": N_("must be a number of messages per minute above 0"),
    "no-smtp-password": N_("is needed for user {user}: set COP_WIDGETS_SMTP_PASSWORD"),
    "one-mail-route": N_("must be left empty when an SMTP server is given: messages go one "
                         "way, by the server or as files"),
    "draft-not-open": N_("is not open for endorsement: put a version of the joint response "
                         "to the members first"),
    "results-not-published": N_("are not public yet: everyone with the link sees them once "
                                "the consultation is closed, unless they are never shown"),
}

#: Words an error may carry as a parameter (:class:`~cop_widgets.errors.Word`), to their
#: msgids: what was refused, what was not found, the state of a statement.
WORDS: dict[str, str] = {
    "cards": N_("cards"),
    "proposals": N_("proposals"),
    "consultation": N_("consultation"),
    "development": N_("development"),
    "draft": N_("draft joint response"),
    "member": N_("member"),
    "round": N_("round"),
    "statement": N_("statement"),
    "pending": N_("pending"),
    "rejected": N_("rejected"),
    "withdrawn": N_("withdrawn"),
    "accepted": N_("accepted"),
    "reply": N_("reply"),
    "replies": N_("replies"),
    "marks": N_("\u201cSpeaks for me too\u201d marks"),
}
