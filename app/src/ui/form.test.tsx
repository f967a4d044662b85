import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { Field } from "./Field";
import { useForm } from "./form";

afterEach(cleanup);

/** A form as a screen writes it, submitting through a promise the test settles. */
function Example({ submit }: { submit: () => Promise<unknown> }) {
  const { submitting, errors, formProps } = useForm({ submit });
  return (
    <form aria-label="Example" {...formProps}>
      <fieldset disabled={submitting}>
        <Field label="E-mail" name="athleteEmail" error={errors.fields.athleteEmail} />
        <Field label="Event" name="event" error={errors.fields.event} />
        <p>{errors.form}</p>
        <button type="submit">Create</button>
      </fieldset>
    </form>
  );
}

function deferred() {
  let settle: { resolve: (v: unknown) => void; reject: (e: unknown) => void } = {
    resolve: () => undefined,
    reject: () => undefined,
  };
  const promise = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });
  return { promise, ...settle };
}

describe("useForm", () => {
  it("submits once while a submit runs, with the controls disabled", async () => {
    const calls: unknown[] = [];
    const pending = deferred();
    const submit = () => {
      calls.push(1);
      return pending.promise;
    };
    render(<Example submit={submit} />);
    const button = screen.getByRole("button", { name: "Create" });
    fireEvent.click(button);
    fireEvent.click(button);
    expect(calls).toHaveLength(1);
    const controls = button.closest("fieldset");
    expect(controls?.disabled).toBe(true); // every control in it is disabled
    await act(async () => pending.resolve({}));
    expect(controls?.disabled).toBe(false);
  });

  it("shows each field's error beside it, and clears one when its field changes", async () => {
    const error = new ApiError(400, "invalid-argument", "Some fields are invalid.", [
      { field: "athleteEmail", message: "Enter an e-mail address." },
      { field: "event", message: "At most 200 characters." },
    ]);
    render(<Example submit={() => Promise.reject(error)} />);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Create" })));
    const email = screen.getByLabelText("E-mail");
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Enter an e-mail address.").id).toBe(email.getAttribute("aria-describedby"));
    fireEvent.change(email, { target: { value: "ben@example.com" } });
    expect(screen.queryByText("Enter an e-mail address.")).toBeNull();
    expect(email.getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByText("At most 200 characters.")).toBeTruthy();
  });

  it("says an error without fields for the whole form", async () => {
    render(
      <Example submit={() => Promise.reject(new ApiError(403, "permission-denied", "Only coaches."))} />,
    );
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Create" })));
    expect(screen.getByText("Only coaches.")).toBeTruthy();
  });
});
