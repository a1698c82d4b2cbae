// Live updates of the handoff pages (issue 15). The pages work without it: their links reload them.
// The thread page polls the exchange's new messages and appends them, announced in a polite live region;
// the queue page keeps its count of waiting requests current. Texts come from the page (data-template).
(() => {
  const thread = document.querySelector('[data-live="thread"]');
  const queue = document.querySelector('[data-live="queue"]');
  const say = (element, count) => {
    if (element) element.textContent = element.dataset.template.replace('{count}', String(count));
  };
  if (thread) {
    const status = document.getElementById('direct-nouveaux');
    let timer;
    const poll = async () => {
      const after = thread.dataset.after;
      const url = `${thread.dataset.api}${after ? `?after=${encodeURIComponent(after)}` : ''}`;
      const response = await fetch(url, { headers: { Accept: 'application/json' } });
      // The exchange ended (the teacher left, or another page ended it): said once, and no more polling.
      if (response.status === 404) {
        clearInterval(timer);
        if (status) status.textContent = status.dataset.ended;
        return;
      }
      if (!response.ok) return;
      const messages = await response.json();
      if (!Array.isArray(messages) || messages.length === 0) return;
      thread.querySelector('li.empty')?.remove();
      let fromTeacher = 0;
      for (const message of messages) {
        const item = document.createElement('li');
        const meta = document.createElement('p');
        meta.className = 'meta';
        meta.textContent = `${message.who} · ${message.when}`;
        const text = document.createElement('p');
        text.className = 'text';
        text.textContent = message.text;
        item.append(meta, text);
        thread.append(item);
        if (message.from === 'teacher') fromTeacher += 1;
        thread.dataset.after = message.cursor;
      }
      if (fromTeacher > 0) say(status, fromTeacher);
    };
    timer = setInterval(() => poll().catch(() => {}), 4000);
  }
  if (queue) {
    const poll = async () => {
      const response = await fetch('/helpdesk/api/handoffs', { headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      const handoffs = await response.json();
      if (!Array.isArray(handoffs)) return;
      const waiting = handoffs.filter((h) => h.status === 'waiting').length;
      if (queue.textContent !== queue.dataset.template.replace('{count}', String(waiting)))
        say(queue, waiting);
    };
    setInterval(() => poll().catch(() => {}), 10000);
  }
})();
