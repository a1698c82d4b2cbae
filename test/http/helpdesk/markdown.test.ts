import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { renderInline, renderMarkdown } from '../../../src/http/helpdesk/markdown';
import { t } from '../../../src/i18n';

describe('the console’s Markdown (what the bot writes, as safe HTML)', () => {
  it('renders code spans, bold, paragraphs and line breaks', () => {
    assert.equal(
      renderMarkdown('Un mail part vers :\n\n`claire.martin@ac-paris.fr`\n\nOuvrez **son lien**.\nMerci.'),
      '<p>Un mail part vers :</p><p><code>claire.martin@ac-paris.fr</code></p><p>Ouvrez <strong>son lien</strong>.<br>Merci.</p>',
    );
  });

  it('renders « 1. » lines as a numbered list, « - » lines as a bulleted one, after their intro line', () => {
    assert.equal(
      renderMarkdown('Vous pouvez écrire :\n1. Créer mon compte\n2. Aide\n- un point\n- un autre'),
      '<p>Vous pouvez écrire :</p><ol><li>Créer mon compte</li><li>Aide</li></ol><ul><li>un point</li><li>un autre</li></ul>',
    );
    assert.equal(renderMarkdown('3. trois\n4. quatre'), '<ol start="3"><li>trois</li><li>quatre</li></ol>');
  });

  it('renders the bot’s real messages without a backtick left', () => {
    const sent = t('bot.account.sent', { email: 'claire.martin@ac-paris.fr', expires: 'samedi 22 novembre' });
    const html = renderMarkdown(sent);
    assert.doesNotMatch(html, /`/);
    assert.match(html, /<p><code>claire\.martin@ac-paris\.fr<\/code><\/p>/);
  });

  it('keeps everything else as text: markup, attributes and entities are escaped, inside code too', () => {
    const hostile =
      '<script>alert("x")</script> `<img src=x onerror=alert(1)>` **<b>gras</b>** & [lien](javascript:alert(1))';
    const html = renderMarkdown(hostile);
    assert.equal(
      html,
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <code>&lt;img src=x onerror=alert(1)&gt;</code> <strong>&lt;b&gt;gras&lt;/b&gt;</strong> &amp; [lien](javascript:alert(1))</p>',
    );
    // The only tags are the renderer's own, without attributes.
    for (const tag of html.match(/<[^>]+>/g) ?? []) assert.match(tag, /^<\/?(p|code|strong|br|ol|ul|li)>$/);
  });

  it('leaves a lone backtick or lone stars as typed', () => {
    assert.equal(renderInline('l’apostrophe ` seule et 2 ** 3'), 'l’apostrophe ` seule et 2 ** 3');
    assert.equal(renderMarkdown(''), '');
    assert.equal(renderMarkdown('\n\n'), '');
  });
});
