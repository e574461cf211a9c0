import type { PageContext } from "@/lib/context";
import { formatFileSize, languageName } from "@/lib/format";
import { fill } from "@/lib/messages";

type File = { language: string; label?: string | null; title: string; url: string; fileSize?: number | null; fileExtension: string };

/** Files grouped by language, each with its format and size. */
export default function Downloads({ files, title, ctx }: { files?: File[] | null; title: string; ctx: PageContext }) {
  if (!files?.length) return null;
  const byLanguage = new Map<string, File[]>();
  for (const file of files) byLanguage.set(file.language, [...(byLanguage.get(file.language) ?? []), file]);
  return (
    <section aria-labelledby="downloads" className="downloads">
      <h2 id="downloads">{title}</h2>
      {[...byLanguage].map(([language, group]) => (
        <div key={language || "none"}>
          <h3>{language ? languageName(language, ctx.locale) : "—"}</h3>
          <ul>
            {group.map((file) => (
              <li key={file.url}>
                <a href={file.url} hrefLang={language || undefined}>
                  {file.label || file.title}
                </a>{" "}
                <span className="meta">
                  ({fill(ctx.m.fileSize, { format: file.fileExtension.toUpperCase(), size: formatFileSize(file.fileSize, ctx.locale) })})
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
