// A small, safe Markdown subset for card text: the text is HTML-escaped first, then **bold**, _italic_/*italic*,
// `code`, [links](https://…) (http and https only), "- " bullet lists and "1. " numbered lists become markup.
'use strict';
(() => {
  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');
  }

  function inline(escaped) {
    return escaped
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[\s(])\*([^*\s][^*]*)\*(?=$|[\s).,;:!?])/g, '$1<em>$2</em>')
      .replace(/(^|[\s(])_([^_\s][^_]*)_(?=$|[\s).,;:!?])/g, '$1<em>$2</em>')
      .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>');
  }

  function toHtml(text) {
    const lines = escapeHtml(text ?? '').split(/\r?\n/);
    const out = [];
    let list = null;
    const close = () => {
      if (list) {
        out.push(`</${list}>`);
        list = null;
      }
    };
    for (const line of lines) {
      const bullet = /^\s*[-*•]\s+(.*)$/.exec(line);
      const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
      const kind = bullet ? 'ul' : numbered ? 'ol' : null;
      if (kind) {
        if (list !== kind) {
          close();
          out.push(`<${kind}>`);
          list = kind;
        }
        out.push(`<li>${inline((bullet ?? numbered)[1])}</li>`);
        continue;
      }
      close();
      if (line.trim().length > 0) {
        out.push(`<p>${inline(line)}</p>`);
      }
    }
    close();
    return out.join('');
  }

  window.CoachBotMarkdown = { escapeHtml, toHtml };
})();
