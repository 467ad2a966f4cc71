// htmx 4's <hx-partial>: a piece of a response swapped into its own target.
declare namespace JSX {
  interface IntrinsicElements {
    "hx-partial": HtmlTag & { "hx-target": string; "hx-swap"?: string };
  }
}
