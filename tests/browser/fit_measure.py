"""What the fit tests measure in a page: what sticks out of the window or is cut.

``page.evaluate(MEASURE)`` measures the whole page; ``page.evaluate(MEASURE, ".part")``
only what is inside the first element matching ``.part`` (the page's own width and frame
are checked either way). It returns ``{"problems": [...], "checked": n, "legends": n}``:
the problems in words (none when it fits), how many elements were measured, and how many
chart legend entries. See tests/browser/test_fit.py for what counts as a problem.

``locator.evaluate(LABEL_AND_FIELD)`` on a field (an input or select of an ipywidgets
field with a description) returns where its label and the field are drawn:
``{"label": {...}, "field": {...}, "text": "..."}``, each box with ``top``, ``bottom``,
``left`` and ``right`` in px, and the label's words.
"""

from __future__ import annotations

__all__ = ["MEASURE", "LABEL_AND_FIELD"]

MEASURE = r"""
(rootSelector) => {
  const root = rootSelector ? document.querySelector(rootSelector) : document;
  if (!root) return {problems: [`nothing matches ${rootSelector}`], checked: 0, legends: 0};
  const vw = document.documentElement.clientWidth;
  const LEGIBLE = 9;  // px: Vega's 10-11 px legend text, shrunk by at most a fifth
  const problems = [];
  const shown = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  const words = (el) => (el.innerText || el.value || el.textContent || "").trim()
    .replace(/\s+/g, " ").slice(0, 70);
  const cls = (el) => String(el.className && el.className.baseVal !== undefined
    ? el.className.baseVal : el.className);
  const where = (el) => `${el.tagName.toLowerCase()}.${cls(el).split(" ").slice(-2).join(".")}`;
  const scrollingTable = (el) => el.tagName === "TABLE"
    && /auto|scroll/.test(getComputedStyle(el).overflowX);
  const inScrollingTable = (el) => {
    for (let a = el; a; a = a.parentElement) if (scrollingTable(a)) return true;
    return false;
  };
  // The nearest ancestor that cuts off what sticks out of it, if el sticks out of it.
  const clippedBy = (el) => {
    const r = el.getBoundingClientRect();
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === "visible") continue;
      const ar = a.getBoundingClientRect();
      if (r.right > ar.right + 1 || r.left < ar.left - 1) return a;
    }
    return null;
  };
  const page = document.documentElement.scrollWidth;
  if (page > vw) problems.push(`the page is ${page} px wide in a ${vw} px window`);
  const frame = document.querySelector("#rendered_cells");
  if (frame && frame.scrollWidth > frame.clientWidth + 1) {
    problems.push(`the page's content is ${frame.scrollWidth} px wide in ${frame.clientWidth} px`);
  }
  const parts = "button, label, .widget-label, .widget-label-basic, .lm-TabBar-tabLabel, "
    + "textarea, select, input, legend, .widget-html-content, figcaption, p, li, h3, h4, h5, "
    + "td, th, "
    + ".widget-inline-hbox, .widget-box, svg.marks";
  let checked = 0;
  for (const el of root.querySelectorAll(parts)) {
    if (!shown(el) || inScrollingTable(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    checked += 1;
    if (r.right > vw + 1 || r.left < -1) {
      problems.push(`${where(el)} "${words(el)}" spans ${Math.round(r.left)}..`
        + `${Math.round(r.right)} px of a ${vw} px window`);
      continue;
    }
    const clip = clippedBy(el);
    if (clip) {
      problems.push(`${where(el)} "${words(el)}" is cut by ${where(clip)} `
        + `(${Math.round(r.right)} > ${Math.round(clip.getBoundingClientRect().right)} px)`);
      continue;
    }
    // A text field scrolls the member's own words by design; anything else may not, and
    // words running out of their own paragraph are as bad as a box cut off.
    const typed = el.tagName === "INPUT" && /^(text|search|url|email|)$/.test(el.type);
    const prose = /^(P|LI|H3|H4|H5)$/.test(el.tagName);
    if (!typed && el.tagName !== "svg" && el.scrollWidth > el.clientWidth + 1
        && (prose || getComputedStyle(el).overflowX !== "visible")) {
      problems.push(`${where(el)} "${words(el)}" needs ${el.scrollWidth} px, `
        + `has ${el.clientWidth}`);
    }
    // A field stays inside its widget: a text box spilling below it covers the next field.
    const field = /^(TEXTAREA|INPUT|SELECT)$/.test(el.tagName)
      && el.parentElement.closest(".widget-inline-hbox");
    if (field && r.bottom > field.getBoundingClientRect().bottom + 1) {
      problems.push(`${where(el)} "${words(el)}" spills ${Math.round(r.bottom
        - field.getBoundingClientRect().bottom)} px below its field`);
    }
    if (getComputedStyle(el).textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth) {
      problems.push(`${where(el)} "${words(el)}" ends in "…"`);
    }
  }
  // A drop-down shows its whole choice, unless the choice is wider than its whole box.
  const ruler = document.createElement("canvas").getContext("2d");
  for (const select of root.querySelectorAll("select")) {
    if (!shown(select) || select.multiple || select.size > 1) continue;
    const option = select.options[select.selectedIndex];
    if (!option) continue;
    const s = getComputedStyle(select);
    ruler.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const needed = ruler.measureText(option.text).width + parseFloat(s.paddingLeft)
      + parseFloat(s.paddingRight) + 2;
    const box = select.closest(".widget-box");
    const room = box ? box.clientWidth - 8 : vw;
    if (needed > select.clientWidth + 1 && select.offsetWidth < room) {
      problems.push(`drop-down "${option.text.slice(0, 60)}" needs ${Math.round(needed)} px, `
        + `has ${select.clientWidth}`);
    }
  }
  // Every legend entry of every chart shown is whole and inside its drawing.
  let legends = 0;
  for (const svg of root.querySelectorAll("svg.marks")) {
    if (!shown(svg)) continue;
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll(".role-legend-label text, .role-legend-title text")) {
      legends += 1;
      const t = text.getBoundingClientRect();
      if (text.textContent.endsWith("…") || t.right > box.right + 1 || t.left < box.left - 1) {
        problems.push(`legend entry "${text.textContent}" is cut`);
      } else if (t.height < LEGIBLE) {
        problems.push(`legend entry "${text.textContent}" is drawn ${t.height.toFixed(1)} px `
          + "high: a drawing too wide for its panel was shrunk");
      }
    }
  }
  return {problems, checked, legends};
}
"""

LABEL_AND_FIELD = r"""
(el) => {
  const box = el.closest(".widget-inline-hbox");
  const label = box && box.querySelector(":scope > .widget-label");
  const rect = (x) => {
    const r = x.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
  };
  return {label: label ? rect(label) : null, field: rect(el),
          text: label ? label.textContent.trim() : ""};
}
"""
