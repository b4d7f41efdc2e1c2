// Renders Adaptive Cards with Microsoft's renderer (window.AdaptiveCards) and reports what a
// user would miss: the renderer's parse and validation warnings, buttons or inputs outside the
// card or cut off by a parent that hides overflow, and text cut short with "…". Each card is
// measured as it first shows and again with each of its show-cards opened.
(() => {
  const SLACK = 1; // px of rounding allowed
  const EXEMPT = /\bChart\./; // Teams-only charts: their fallback is rendered instead

  function describe(element) {
    const text = (element.getAttribute("aria-label") || element.textContent || element.value || "")
      .replace(/\s+/g, " ")
      .trim();
    const kind = element.tagName.toLowerCase();
    return `${kind} "${text.slice(0, 60)}"`;
  }

  function clipsOverflow(style) {
    return ["hidden", "clip", "scroll", "auto"].includes(style.overflowX);
  }

  function isShown(element) {
    return element.getClientRects().length > 0;
  }

  const canvas = document.createElement("canvas").getContext("2d");

  // A word wider than its line: the browser breaks it wherever it must ("Arbejdsmiljødrø-
  // ftelse"). Soft hyphens, hyphens and slashes are where a word may break; a run of over 40
  // letters is no word but something typed, which may break anywhere.
  function brokenWord(element, style) {
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = [...element.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent)
      .join(" ");
    for (const word of text.split(/[\s\u00ad\-\/]+/)) {
      if (word.length > 8 && word.length <= 40 &&
          canvas.measureText(word).width > element.clientWidth + SLACK) {
        return word;
      }
    }
    return null;
  }

  function measure(root, state, problems, seen) {
    const rootRect = root.getBoundingClientRect();
    const report = (message) => {
      if (!seen.has(message)) {
        seen.add(message);
        problems.push(state ? `${message} (${state})` : message);
      }
    };
    for (const element of root.querySelectorAll("*")) {
      if (!isShown(element)) continue;
      const style = getComputedStyle(element);
      const isText = element.childNodes.length > 0 && [...element.childNodes].some(
        (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim() !== "",
      );
      const cutsText = style.textOverflow === "ellipsis" || clipsOverflow(style);
      if (cutsText && isText && element.scrollWidth > element.clientWidth + SLACK) {
        report(`text cut short: ${describe(element)}`);
      }
      if (isText && element.clientWidth > 0) {
        const broken = brokenWord(element, style);
        if (broken) report(`word broken mid-word: ${describe(element)} ("${broken}")`);
      }
      const control = element.matches("button, input, textarea, select, [role=button]");
      if (!control && !isText) continue;
      const rect = element.getBoundingClientRect();
      if (control && (rect.width < SLACK || rect.height < SLACK)) {
        report(`hidden: ${describe(element)}`);
        continue;
      }
      if (rect.right > rootRect.right + SLACK || rect.left < rootRect.left - SLACK) {
        report(`outside the card: ${describe(element)} (${Math.round(rect.left - rootRect.left)}..${Math.round(rect.right - rootRect.left)} of ${Math.round(rootRect.width)} px)`);
        continue;
      }
      for (let parent = element.parentElement; parent && parent !== root.parentElement; parent = parent.parentElement) {
        if (!clipsOverflow(getComputedStyle(parent))) continue;
        const box = parent.getBoundingClientRect();
        if (rect.right > box.right + SLACK || rect.left < box.left - SLACK ||
            rect.bottom > box.bottom + SLACK || rect.top < box.top - SLACK) {
          report(`clipped: ${describe(element)}`);
          break;
        }
      }
    }
  }

  function warnings(card, context) {
    const found = [];
    for (let i = 0; i < context.eventCount; i++) {
      found.push(context.getEventAt(i).message);
    }
    for (const event of card.validateProperties().validationEvents) {
      found.push(event.message);
    }
    return found.filter((message) => !EXEMPT.test(message)).map((message) => `renderer: ${message}`);
  }

  // Teams renders a little Markdown: escapes, **bold**, _italic_, "- " list items, line breaks.
  function markdown(text, result) {
    const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const inline = (s) => escape(s)
      .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|\s)_(.+?)_(?=\s|$)/g, "$1<em>$2</em>")
      .replace(/\\(.)/g, "$1");
    result.outputHtml = text
      .split(/\r?\n/)
      .map((line) => `<p>${line.startsWith("- ") ? `• ${inline(line.slice(2))}` : inline(line)}</p>`)
      .join("");
    result.didProcess = true;
  }

  // What the renderer itself says on the console while it handles one card.
  function capturingConsole(run) {
    const said = [];
    const original = { warn: console.warn, error: console.error };
    console.warn = (...args) => said.push(`console warning: ${args.join(" ")}`);
    console.error = (...args) => said.push(`console error: ${args.join(" ")}`);
    try {
      run();
    } catch (error) {
      said.push(`renderer failed: ${error}`);
    } finally {
      Object.assign(console, original);
    }
    return said;
  }

  window.renderCards = (cards, width, hostConfigJson) => {
    AdaptiveCards.AdaptiveCard.onProcessMarkdown = markdown;
    const hostConfig = new AdaptiveCards.HostConfig(hostConfigJson);
    const results = [];
    const hosts = [];
    document.body.innerHTML = "";
    for (const [name, payload] of cards) {
      const problems = [];
      const host = document.createElement("div");
      host.className = "card-host";
      host.style.width = `${width}px`;
      host.dataset.name = name;
      problems.push(...capturingConsole(() => {
        const card = new AdaptiveCards.AdaptiveCard();
        card.hostConfig = hostConfig;
        const context = new AdaptiveCards.SerializationContext();
        card.parse(payload, context);
        problems.push(...warnings(card, context));
        const rendered = card.render();
        if (rendered) host.appendChild(rendered);
        else problems.push("renderer: the card did not render");
      }));
      document.body.appendChild(host);
      hosts.push([name, host, problems]);
    }
    for (const [name, host, problems] of hosts) {
      const root = host.firstElementChild;
      if (root) {
        const seen = new Set();
        measure(root, "", problems, seen);
        const toggles = [...root.querySelectorAll("button[aria-expanded]")].filter(isShown);
        for (const toggle of toggles) {
          const label = describe(toggle);
          toggle.click();
          measure(root, `with ${label} open`, problems, seen);
          toggle.click();
        }
      }
      results.push({ name, problems, height: Math.round(host.getBoundingClientRect().height) });
    }
    return results;
  };
})();
