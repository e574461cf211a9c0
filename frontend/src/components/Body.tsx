import type { BodyFragment } from "@/gql/graphql";

/** A page's StreamField body. Rich text is the CMS's HTML, already cleaned by its API
 * (cms/visibility.py takes out links to what an anonymous reader may not see). */
export default function Body({ blocks }: { blocks?: (BodyFragment | null)[] | null }) {
  if (!blocks?.length) return null;
  return (
    <div className="body">
      {blocks.map((block, index) => {
        if (!block) return null;
        const key = block.id ?? index;
        switch (block.__typename) {
          case "RichTextBlock":
            return <div key={key} dangerouslySetInnerHTML={{ __html: block.value }} />;
          case "HeadingBlock":
            return block.level === "h3" ? <h3 key={key}>{block.text}</h3> : <h2 key={key}>{block.text}</h2>;
          case "QuoteBlock":
            return (
              <figure key={key} className="quote">
                <blockquote>{block.text}</blockquote>
                {block.attribution ? <figcaption>{block.attribution}</figcaption> : null}
              </figure>
            );
          case "CaptionedImageBlock":
            return block.image?.rendition ? (
              <figure key={key}>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={block.image.rendition.url} width={block.image.rendition.width} height={block.image.rendition.height} alt={block.image.description} loading="lazy" />
                {block.caption || block.credit ? <figcaption>{[block.caption, block.credit].filter(Boolean).join(" — ")}</figcaption> : null}
              </figure>
            ) : null;
          case "DocumentLinkBlock":
            return block.document ? (
              <p key={key}>
                <a href={block.document.url}>{block.linkText || block.document.title}</a>
              </p>
            ) : null;
          case "CallToActionBlock": {
            const href = block.page?.urlPath ?? block.url;
            return href ? (
              <p key={key}>
                <a className="button" href={href}>
                  {block.text}
                </a>
              </p>
            ) : null;
          }
          default:
            return null;
        }
      })}
    </div>
  );
}
