// End-to-end checks of a gazette site in Debian's chromium, driven by playwright-core.
//
//   node tests/browser/e2e.mjs SITE_URL SCREENSHOT_DIR PERSON
//
// SITE_URL is the served site's root (it may have a sub-path); PERSON is a name to search for
// that appears in articles of more than one year. `tests/browser_end_to_end.rs` builds and
// serves the site and runs this script; it exits non-zero, with every failure listed, when a
// check fails.

import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const [siteUrl, screenshotDir, person] = process.argv.slice(2);
if (!siteUrl || !screenshotDir || !person) {
  console.error("usage: node e2e.mjs SITE_URL SCREENSHOT_DIR PERSON");
  process.exit(2);
}
const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
mkdirSync(screenshotDir, { recursive: true });

const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

/// A page that records console errors, failed requests, error responses and dialogs (a dialog
/// means an article's text ran as script).
async function watchedPage(viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  page.problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") page.problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => page.problems.push(`script error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // `gazette serve`'s live-reload stream is cut whenever the page navigates away, and so is
    // any load still pending then (Chromium's ERR_ABORTED: seen once on the favicon when a
    // search form was submitted). A missing file still shows, as an error response below.
    if (request.url().includes("/__gazette/events")) return;
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    page.problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) page.problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  page.on("dialog", async (dialog) => {
    page.problems.push(`a dialog opened: ${dialog.message()}`);
    await dialog.dismiss();
  });
  return page;
}

/// Opens a URL and checks it loaded cleanly; returns the page's path for messages.
async function visit(page, url, what) {
  const response = await page.goto(url, { waitUntil: "networkidle" });
  check(response && response.ok(), `${what}: ${url} answered ${response?.status()}`);
  return new URL(page.url()).pathname;
}

function takeProblems(page, what) {
  for (const problem of page.problems) failures.push(`${what}: ${problem}`);
  page.problems = [];
}

/// Runs axe-core and reports serious and critical violations.
async function accessibility(page, what) {
  await page.addScriptTag({ path: axeSource });
  const results = await page.evaluate(async () => await window.axe.run(document));
  for (const violation of results.violations) {
    if (violation.impact === "serious" || violation.impact === "critical") {
      const where = violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(" "))
        .join("; ");
      failures.push(`${what}: axe ${violation.impact} ${violation.id}: ${violation.help} (${where})`);
    }
  }
}

async function noHorizontalScroll(url, what) {
  const page = await watchedPage({ width: 360, height: 740 });
  await visit(page, url, `${what} at 360 px`);
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  check(scroll <= client, `${what} at 360 px scrolls sideways: ${scroll} px of content in ${client} px`);
  takeProblems(page, `${what} at 360 px`);
  await page.close();
}

/// Tabs through the page from the top and returns the elements that took focus.
async function tabStops(page, count) {
  const stops = [];
  for (let i = 0; i < count; i += 1) {
    await page.keyboard.press("Tab");
    stops.push(
      await page.evaluate(() => {
        const element = document.activeElement;
        return {
          tag: element.tagName.toLowerCase(),
          id: element.id,
          text: (element.textContent || "").trim(),
          type: element.getAttribute("type") || "",
        };
      }),
    );
  }
  return stops;
}

const pages = {};
const page = await watchedPage();

// 1. Home → a person → one of their articles → its topic, all clean.
await visit(page, siteUrl, "home");
pages.home = page.url();
takeProblems(page, "home");
await accessibility(page, "home");
await page.screenshot({ path: join(screenshotDir, "home.png"), fullPage: false });

const personLink = page.locator('main a[href*="/people/"]:not([href$="/people/"])').first();
check((await personLink.count()) === 1, "home: no link to a person's page");
await Promise.all([page.waitForLoadState("networkidle"), personLink.click()]);
pages.person = page.url();
check(/\/people\/[^/]+\//.test(new URL(page.url()).pathname), `a person link led to ${page.url()}`);
takeProblems(page, "person page");
await accessibility(page, "person page");
await page.screenshot({ path: join(screenshotDir, "person.png") });

const articleLink = page.locator("main article h2 a, main article h3 a").first();
check((await articleLink.count()) === 1, "person page: no article link");
await Promise.all([page.waitForLoadState("networkidle"), articleLink.click()]);
pages.article = page.url();
check((await page.locator("main h1").count()) === 1, `the article at ${page.url()} has no heading`);
takeProblems(page, "article page");
await accessibility(page, "article page");
await page.screenshot({ path: join(screenshotDir, "article.png") });

const topicLink = page.locator('main a[href*="/topics/"]:not([href$="/topics/"])').first();
if ((await topicLink.count()) === 1) {
  await Promise.all([page.waitForLoadState("networkidle"), topicLink.click()]);
  check(/\/topics\/[^/]+\//.test(new URL(page.url()).pathname), `a topic link led to ${page.url()}`);
  takeProblems(page, "topic page");
  await accessibility(page, "topic page");
} else {
  failures.push(`the article at ${pages.article} links to no topic`);
}

// 2. Search for a person, narrow by year, open a result.
const searchUrl = new URL("search/", siteUrl).href;
await visit(page, searchUrl, "search page");
pages.search = page.url();
const input = page.locator("#search input[type=text], #search input[type=search]").first();
await input.waitFor({ timeout: 10000 });
await input.fill(person);
const results = page.locator(".pagefind-ui__result");
await results.first().waitFor({ timeout: 10000 });
const message = page.locator(".pagefind-ui__message");
const before = await message.textContent();
const yearGroup = page
  .locator(".pagefind-ui__filter-block")
  .filter({ has: page.locator("summary", { hasText: /^\s*Year\s*$/ }) });
check((await yearGroup.count()) === 1, "search page: no year filter");
if ((await yearGroup.count()) === 1) {
  const summary = yearGroup.locator("summary");
  if ((await summary.count()) === 1) await summary.click();
  const years = yearGroup.locator(".pagefind-ui__filter-value");
  check((await years.count()) >= 2, `search for ${person}: fewer than two years to narrow by`);
  const label = (await years.first().locator("label").textContent()).trim();
  await years.first().locator("input").check();
  // Pagefind shows "Searching for ..." while the narrowed search runs: wait for its result.
  await page.waitForFunction(
    (previous) => {
      const text = document.querySelector(".pagefind-ui__message")?.textContent ?? "";
      return text !== previous && !text.startsWith("Searching");
    },
    before,
    { timeout: 10000 },
  );
  const after = await message.textContent();
  const count = (text) => Number((text.match(/\d[\d,]*/) || ["0"])[0].replace(/,/g, ""));
  check(
    count(after) > 0 && count(after) < count(before),
    `narrowing ${person} to ${label} went from "${before}" to "${after}"`,
  );
}
await page.screenshot({ path: join(screenshotDir, "search.png") });
takeProblems(page, "search page");
await accessibility(page, "search page with results");
const firstResult = results.first().locator("a").first();
const resultTitle = (await firstResult.textContent()).trim();
await Promise.all([page.waitForLoadState("networkidle"), firstResult.click()]);
const heading = (await page.locator("main h1").textContent())?.trim();
check(heading === resultTitle, `the result "${resultTitle}" opened a page titled "${heading}"`);
const lastName = person.split(" ").pop();
check((await page.locator("main").textContent()).includes(lastName), `the result page never names ${person}`);
takeProblems(page, "search result");

// Hostile text in the index stays text: a search for it shows it escaped and runs nothing.
await visit(page, searchUrl, "search page");
await page.locator("#search input").first().fill("smuggled");
await results.first().waitFor({ timeout: 10000 });
check(
  (await page.locator(".pagefind-ui__result img, .pagefind-ui__result script").count()) === 0,
  "markup from an article became live in the search results",
);
takeProblems(page, "search for hostile text");

// "Newest first" is one date order across the index's shards (the test site has several):
// every result of the person, loaded to the end, is dated no later than the one before it.
const indexesAskedFor = [];
const noteIndex = (request) => {
  const path = new URL(request.url()).pathname;
  if (/pagefind-entry\.json$|\.pf_meta$/.test(path)) indexesAskedFor.push(path);
};
page.on("request", noteIndex);
await visit(page, searchUrl, "search page");
await page.locator("#search-newest").check();
// Checking the box starts a new search UI over every shard: let it load before typing, and
// let the search finish (every shard's results merged) before reading its total.
await page.waitForLoadState("networkidle");
await page.locator("#search input[type=text]").first().fill(person);
await results.first().waitFor({ timeout: 10000 });
await page.waitForFunction(
  () => /^\s*\d/.test(document.querySelector(".pagefind-ui__message")?.textContent ?? ""),
  null,
  { timeout: 10000 },
);
await page.waitForLoadState("networkidle");
const total = Number(((await message.textContent()).match(/\d[\d,]*/) || ["0"])[0].replace(/,/g, ""));
const loadMore = page.locator(".pagefind-ui__button");
for (let clicks = 0; clicks < 100 && (await results.count()) < total; clicks += 1) {
  const shown = await results.count();
  await loadMore.click({ timeout: 10000 });
  await page.waitForFunction(
    (before) => document.querySelectorAll(".pagefind-ui__result").length > before,
    shown,
    { timeout: 10000 },
  );
}
// A result is listed before its page's data arrives, and gets its link then: the last ones
// loaded, from the oldest shard, can still be without one (it made this check fail on
// first runs, with the oldest year's results not yet linked).
await page.waitForFunction(
  (count) => document.querySelectorAll(".pagefind-ui__result-link").length >= count,
  total,
  { timeout: 10000 },
);
const paths = await page.locator(".pagefind-ui__result-link").evaluateAll((links) => links.map((a) => a.pathname));
page.off("request", noteIndex);
const months = paths.map((path) => (path.match(/\/(\d{4})\/(\d{2})\//) || []).slice(1, 3).join("-"));
const years = [...new Set(months.map((month) => month.slice(0, 4)))];
const distinct = new Set(paths).size;
check(paths.length === total, `newest first: ${paths.length} of ${total} results loaded`);
check(distinct === paths.length, `newest first: ${paths.length - distinct} results shown twice`);
check(months.every(Boolean), `newest first: a result URL without a year and month: ${months}`);
const outOfOrder = months.findIndex((month, i) => i > 0 && month > months[i - 1]);
check(outOfOrder < 0, `newest first: result ${outOfOrder + 1} (${months[outOfOrder]}) is newer than the one before`);
check(
  years.length >= 2,
  `newest first: ${person}'s ${total} results span one year (${years}), ${distinct} distinct; indexes asked for: ${indexesAskedFor.join(", ")}`,
);
takeProblems(page, "search newest first");

// 3. Phone layout and keyboard.
for (const [what, url] of Object.entries(pages)) await noHorizontalScroll(url, what);

await visit(page, pages.home, "home");
const stops = await tabStops(page, 12);
check(stops[0].text.includes("Skip"), `the first Tab stop is not the skip link: ${JSON.stringify(stops[0])}`);
check(stops.some((stop) => stop.id === "site-search-query"), "Tab never reaches the search box");
for (const section of ["Topics", "People"]) {
  check(stops.some((stop) => stop.tag === "a" && stop.text === section), `Tab never reaches the ${section} link`);
}
await visit(page, searchUrl, "search page");
const searchStops = await tabStops(page, 15);
check(
  searchStops.some((stop) => stop.tag === "input" && stop.type !== "checkbox" && stop.id !== "site-search-query"),
  "Tab never reaches the search page's query box",
);
await page.keyboard.press("Escape");

await browser.close();
if (failures.length > 0) {
  console.error(`${failures.length} browser check(s) failed:`);
  for (const failure of failures) console.error(`  - ${failure}`);
  process.exit(1);
}
console.log(`browser checks passed; screenshots in ${screenshotDir}`);
