/**
 * German, Spanish, Italian and Portuguese in a real browser: the home page, a catalogue, a
 * publication, a position paper and search, each in the language (`lang`, the interface's
 * words, dates written by Intl the language's way). The content is e2e/cms_setup.py's
 * translations of one publication and one position paper (dated 2024-12-05, in Cologne).
 */
import { expect, test } from "@playwright/test";
import { screenshot } from "./helpers";

const PUBLICATION = "/publications/preventing-and-fighting-radicalisation-at-the-local-level/";
const PUBLICATION_TITLE = "Preventing and Fighting Radicalisation at the Local Level";
const POSITION = "/positions/creating-a-coalition-of-european-cities-and-regions-to-face-the-drugs-crisis/";
const POSITION_TITLE = "Creating a coalition of European cities and regions to face the drugs crisis";

const LANGUAGES = [
  {
    locale: "de",
    translated: "Übersetzung: ",
    skip: "Zum Hauptinhalt springen",
    searchLabel: "Im Katalog suchen",
    searchButton: "Suchen",
    latestPublications: "Neueste Publikationen",
    latestPositions: "Neueste Positionen und Erklärungen",
    seeAllPositions: "Alle anzeigen: Neueste Positionen und Erklärungen",
    filters: "Filter",
    kind: "Art",
    language: "Sprache",
    sort: "Sortierung",
    sorts: ["Neueste zuerst", "Älteste zuerst", "Titel A–Z"],
    oneResult: "1 Ergebnis",
    date: "Datum",
    place: "Ort",
    project: "Projekt",
    downloads: "Downloads",
    topics: "Themen",
    day: "5. Dezember 2024",
    searchHeading: "Suchergebnisse für „drugs“",
    searchSorts: ["Relevanz", "Neueste zuerst"],
    facetType: "Typ",
    positionTag: "Positionspapier",
    resolution: "Entschließung", // the position's kind, which the API names in English
  },
  {
    locale: "es",
    translated: "Traducción: ",
    skip: "Saltar al contenido principal",
    searchLabel: "Buscar en el catálogo",
    searchButton: "Buscar",
    latestPublications: "Últimas publicaciones",
    latestPositions: "Últimos posicionamientos y declaraciones",
    seeAllPositions: "Ver todo: últimos posicionamientos y declaraciones",
    filters: "Filtros",
    kind: "Categoría",
    language: "Idioma",
    sort: "Ordenar",
    sorts: ["Más recientes primero", "Más antiguos primero", "Título A–Z"],
    oneResult: "1 resultado",
    date: "Fecha",
    place: "Lugar",
    project: "Proyecto",
    downloads: "Descargas",
    topics: "Temas",
    day: "5 de diciembre de 2024",
    searchHeading: "Resultados de la búsqueda de «drugs»",
    searchSorts: ["Relevancia", "Más recientes primero"],
    facetType: "Tipo",
    positionTag: "Posicionamiento",
    resolution: "Resolución", // the position's kind, which the API names in English
  },
  {
    locale: "it",
    translated: "Traduzione: ",
    skip: "Vai al contenuto principale",
    searchLabel: "Cerca nel catalogo",
    searchButton: "Cerca",
    latestPublications: "Ultime pubblicazioni",
    latestPositions: "Ultime prese di posizione e dichiarazioni",
    seeAllPositions: "Vedi tutto: ultime prese di posizione e dichiarazioni",
    filters: "Filtri",
    kind: "Categoria",
    language: "Lingua",
    sort: "Ordina",
    sorts: ["Più recenti prima", "Meno recenti prima", "Titolo A–Z"],
    oneResult: "1 risultato",
    date: "Data",
    place: "Luogo",
    project: "Progetto",
    downloads: "Download",
    topics: "Temi",
    day: "5 dicembre 2024",
    searchHeading: "Risultati della ricerca per «drugs»",
    searchSorts: ["Pertinenza", "Più recenti prima"],
    facetType: "Tipo",
    positionTag: "Presa di posizione",
    resolution: "Risoluzione", // the position's kind, which the API names in English
  },
  {
    locale: "pt",
    translated: "Tradução: ",
    skip: "Saltar para o conteúdo principal",
    searchLabel: "Pesquisar no catálogo",
    searchButton: "Pesquisar",
    latestPublications: "Publicações mais recentes",
    latestPositions: "Tomadas de posição e declarações mais recentes",
    seeAllPositions: "Ver tudo: tomadas de posição e declarações mais recentes",
    filters: "Filtros",
    kind: "Categoria",
    language: "Idioma",
    sort: "Ordenar",
    sorts: ["Mais recentes primeiro", "Mais antigos primeiro", "Título A–Z"],
    oneResult: "1 resultado",
    date: "Data",
    place: "Local",
    project: "Projeto",
    downloads: "Transferências",
    topics: "Temas",
    day: "5 de dezembro de 2024",
    searchHeading: "Resultados da pesquisa por «drugs»",
    searchSorts: ["Relevância", "Mais recentes primeiro"],
    facetType: "Tipo",
    positionTag: "Tomada de posição",
    resolution: "Resolução", // the position's kind, which the API names in English
  },
];

for (const l of LANGUAGES) {
  test(`the site in ${l.locale}: home, catalogue, publication, position and search`, async ({ page }) => {
    // Home: the interface's words, and the position's day as the language writes it.
    const home = await page.goto(`/${l.locale}/`);
    expect(home?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", l.locale);
    await expect(page.getByRole("link", { name: l.skip })).toBeAttached();
    await expect(page.getByRole("combobox", { name: l.searchLabel })).toBeVisible();
    await expect(page.getByRole("button", { name: l.searchButton, exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: l.latestPublications, exact: true })).toBeVisible();
    const positions = page.locator(".home-section", { has: page.getByRole("heading", { level: 2, name: l.latestPositions, exact: true }) });
    await expect(positions.locator(".card time")).toHaveText([l.day]);
    await expect(positions.locator(".card time")).toHaveAttribute("datetime", "2024-12-05");
    await expect(positions.getByRole("link", { name: l.seeAllPositions, exact: true })).toBeVisible();
    await screenshot(page, `home-${l.locale}`);

    // A catalogue: its filters and sorting, its count and the card's date.
    await page.goto(`/${l.locale}/positions/`);
    await expect(page.locator("html")).toHaveAttribute("lang", l.locale);
    const filters = page.getByRole("complementary", { name: l.filters, exact: true });
    await expect(filters).toBeVisible();
    const kinds = filters.getByRole("region", { name: l.kind, exact: true });
    await expect(kinds.getByRole("link", { name: `${l.resolution} (1)`, exact: true })).toBeVisible();
    await expect(kinds).not.toContainText("resolution");
    await expect(filters.getByRole("region", { name: l.language, exact: true })).toBeVisible();
    for (const sort of l.sorts) await expect(page.getByRole("navigation", { name: l.sort, exact: true })).toContainText(sort);
    await expect(page.locator(".count")).toHaveText(l.oneResult);
    await expect(page.locator(".cards h3")).toHaveText([`${l.translated}${POSITION_TITLE}`]);
    await expect(page.locator(".cards time")).toHaveText([l.day]);
    await expect(page.locator(".cards .tag")).toHaveText([l.resolution]);
    await screenshot(page, `catalogue-${l.locale}`);

    // A publication: its facts' labels and its sections' headings.
    const publication = await page.goto(`/${l.locale}${PUBLICATION}`);
    expect(publication?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", l.locale);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${l.translated}${PUBLICATION_TITLE}`);
    await expect(page.locator(".facts dt").first()).toHaveText(l.date);
    await expect(page.locator(".facts dd").first()).toHaveText("2016");
    await expect(page.locator(".facts dt").getByText(l.project, { exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: l.downloads, exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: l.topics, exact: true })).toBeVisible();
    await screenshot(page, `publication-${l.locale}`);

    // A position paper: its day and place.
    await page.goto(`/${l.locale}${POSITION}`);
    await expect(page.locator(".item .tag")).toHaveText(l.resolution);
    await expect(page.locator(".facts dt")).toHaveText([l.date, l.place]);
    await expect(page.locator(".facts dd")).toHaveText([l.day, "Cologne"]);

    // Search, typed in the header's box: heading, facets, sorting, and the hit's kind and day.
    await page.getByRole("combobox", { name: l.searchLabel }).fill("drugs");
    await page.getByRole("combobox", { name: l.searchLabel }).press("Enter");
    await expect(page).toHaveURL(new RegExp(`/${l.locale}/search/\\?q=drugs$`));
    await expect(page.locator("html")).toHaveAttribute("lang", l.locale);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(l.searchHeading);
    const types = page.getByRole("complementary", { name: l.filters, exact: true }).getByRole("region", { name: l.facetType, exact: true });
    await expect(types.getByRole("link", { name: `${l.positionTag} (1)`, exact: true })).toBeVisible();
    await expect(page.getByRole("navigation", { name: l.sort, exact: true })).toContainText(`${l.sort}:${l.searchSorts.join("")}`);
    await expect(page.locator(".count")).toHaveText(l.oneResult);
    const hit = page.locator(".hits li", { has: page.getByRole("link", { name: `${l.translated}${POSITION_TITLE}`, exact: true }) });
    await expect(hit.locator(".meta")).toHaveText(`${l.positionTag} · ${l.day}`);
    await screenshot(page, `search-${l.locale}`);
  });
}
