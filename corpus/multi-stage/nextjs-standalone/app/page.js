export default function Page() {
  return <h1>hello from nextjs-standalone</h1>;
}
