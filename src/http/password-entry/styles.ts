/**
 * The form's styles, on top of /static/page.css. Kept in code rather than in a file so that the build
 * needs no asset to copy; served as a stylesheet, since the page's policy refuses inline styles.
 * Contrast ratios checked against WCAG AA (text ≥ 4.5:1, borders and focus ≥ 3:1).
 */
export const PASSWORD_ENTRY_CSS = `form {
  margin-top: 1.5rem;
}
.field {
  margin-bottom: 1.25rem;
}
label {
  display: block;
  font-weight: 700;
  margin-bottom: 0.25rem;
}
input[type="password"] {
  box-sizing: border-box;
  width: 100%;
  max-width: 24rem;
  font: inherit;
  padding: 0.5rem 0.625rem;
  border: 2px solid #3a3a3a;
  border-radius: 0.25rem;
  background: #fff;
  color: #1e1e1e;
}
input[aria-invalid="true"] {
  border-color: #ce0500;
}
input:focus-visible,
button:focus-visible {
  outline: 3px solid #000091;
  outline-offset: 2px;
}
button {
  font: inherit;
  font-weight: 700;
  padding: 0.625rem 1.25rem;
  border: 0;
  border-radius: 0.25rem;
  background: #000091;
  color: #fff;
  cursor: pointer;
}
button:hover {
  background: #1212ff;
}
.error {
  border-left: 0.375rem solid #ce0500;
  padding: 0.5rem 1rem;
  margin: 1rem 0;
  background: #fff4f3;
}
.error h2 {
  font-size: 1.125rem;
  margin: 0 0 0.25rem;
  color: #ce0500;
}
.error p {
  margin: 0.25rem 0;
}
`;
