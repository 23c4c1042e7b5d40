// @ts-check
/**
 * TypeDoc plugin for the API site (`npm run docs`), loaded through `plugin` in typedoc.json: what
 * no TypeDoc option covers (TypeDoc 0.28).
 *
 * 1. Headings keep their inline code in anchors and in "On This Page". TypeDoc builds a heading's
 *    id and its navigation entry from the heading's plain-text parts only, so
 *    "### `engine.execute(request)` → `Promise<string>`" became an entry reading "→" with the id
 *    `#→`, and "#### `defaultTimeoutMs`" an empty entry with the id `#_`. The code spans of every
 *    heading are given their text as a child token, which TypeDoc reads for the id and the entry;
 *    markdown-it still renders them from their content, so the HTML of the heading is unchanged.
 * 2. eventemitter3's static `prefixed` (whether it prefixes event names internally) is removed from
 *    the classes that inherit it: it is the emitter's internals, not the engine's API.
 * 3. An inherited member that a class documents itself, with `@property <name>` in its own comment
 *    (the engine's `on`, `once` and `off`), is no longer flagged external, so the page shows it
 *    (still marked inherited): TypeDoc flags members declared in node_modules "external", and the
 *    default theme hides those until the reader ticks "External". eventemitter3's other members
 *    (`emit`, `listeners`, …) stay external, behind that checkbox.
 * 4. The pages of `projectDocuments` (docs/*.md) are named after their title, the text of their
 *    first `# ` heading up to a colon ("Getting started", not "getting-started"; the page is
 *    documents/Getting_started.html). And a docs/*.md missing from `projectDocuments` is a
 *    warning: links to it would still work, but open the raw Markdown file copied to media/.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, Converter, ReflectionFlag, ReflectionKind } from 'typedoc';

/**
 * @typedef {{ type: string, content: string, children: MarkdownToken[] | null }} MarkdownToken
 * @typedef {{ tokens: MarkdownToken[], Token: new (type: string, tag: string, nesting: number) => MarkdownToken }} CoreState
 * @typedef {{ core: { ruler: { push(name: string, rule: (state: CoreState) => void): void } } }} MarkdownIt
 */

/** @param {MarkdownIt} parser */
function codeSpansInHeadingText(parser) {
  parser.core.ruler.push('heading-code-text', (state) => {
    state.tokens.forEach((token, index) => {
      if (token.type !== 'inline' || state.tokens[index - 1]?.type !== 'heading_open') return;
      for (const child of token.children ?? []) {
        if (child.type !== 'code_inline') continue;
        const text = new state.Token('text', '', 0);
        text.content = child.content;
        child.children = [text];
      }
    });
  });
}

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    /** @type {(parser: MarkdownIt) => void} */
    const configured = /** @type {any} */ (app.options.getValue('markdownItLoader'));
    app.options.setValue('markdownItLoader', (/** @type {MarkdownIt} */ parser) => {
      configured(parser);
      codeSpansInHeadingText(parser);
    });
  });

  app.converter.on(Converter.EVENT_CREATE_DOCUMENT, (_context, document) => {
    const text = document.content.map((part) => part.text).join('');
    const title = /^#[ \t]+(.+)$/m.exec(text)?.[1]?.replaceAll('`', '').split(':')[0]?.trim();
    if (title) document.name = title;
  });

  app.converter.on(Converter.EVENT_BEGIN, () => {
    const listed = new Set(app.options.getValue('projectDocuments').map((path) => resolve(path)));
    const docsDir = fileURLToPath(new URL('./docs', import.meta.url));
    for (const file of readdirSync(docsDir)) {
      if (file.endsWith('.md') && !listed.has(join(docsDir, file))) {
        app.logger.warn(
          `docs/${file} is not in projectDocuments (typedoc.json): links to it open the raw file`,
        );
      }
    }
  });

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const reflection of project.getReflectionsByKind(ReflectionKind.Property)) {
      if (
        reflection.name === 'prefixed' &&
        reflection.flags.isStatic &&
        /** @type {any} */ (reflection).inheritedFrom?.name === 'EventEmitter.prefixed'
      ) {
        project.removeReflection(reflection);
      }
    }
  });
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const project = context.project;
    const ownComment = (/** @type {import('typedoc').Reflection} */ reflection) =>
      reflection.comment?.sourcePath !== undefined &&
      !reflection.comment.sourcePath.includes('/node_modules/');
    for (const reflection of project.getReflectionsByKind(ReflectionKind.Method | ReflectionKind.Property)) {
      if (!reflection.flags.isExternal || !reflection.parent?.kindOf(ReflectionKind.ClassOrInterface))
        continue;
      const signatures = /** @type {import('typedoc').DeclarationReflection} */ (reflection).signatures ?? [];
      if (!ownComment(reflection) && !signatures.some(ownComment)) continue;
      reflection.setFlag(ReflectionFlag.External, false);
      for (const signature of signatures) signature.setFlag(ReflectionFlag.External, false);
    }
  });
}
