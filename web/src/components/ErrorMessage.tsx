/** The error text from the server (its `message`), shown in a red box. */
export function ErrorMessage({
  message,
  testId = 'error',
}: {
  message: string | null | undefined;
  testId?: string;
}) {
  if (!message) return null;
  return (
    <p className="error" role="alert" data-testid={testId}>
      {message}
    </p>
  );
}
