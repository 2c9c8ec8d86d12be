import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/app';
import { TokenPrompt, tokenOfPasted } from '../../src/renderer/components/token-prompt';
import { I18nProvider } from '../../src/renderer/i18n/i18n';
import { ContractError } from '../../src/shared/contract/browser';
import { answeringClient } from './answering-client';

const token = 'BhsN2G9Jo6lXDitma_D5TZjmHqnujfUz2-zPksgUQX4';

describe('a page whose token the server refuses', () => {
  it('finds the token in the printed URL or takes it alone', () => {
    expect(tokenOfPasted(`  http://127.0.0.1:7420/?token=${token}\n`)).toBe(token);
    expect(tokenOfPasted(token)).toBe(token);
    expect(tokenOfPasted('http://127.0.0.1:7420/')).toBeNull();
    expect(tokenOfPasted('not a token')).toBeNull();
    expect(tokenOfPasted(`${token}x`)).toBeNull();
  });

  it('trades a pasted URL for the cookie at /?token=, and says what is wrong with a bad one', () => {
    const opened: string[] = [];
    render(
      <I18nProvider language="en">
        <TokenPrompt open={(path) => opened.push(path)} />
      </I18nProvider>,
    );
    const field = screen.getByPlaceholderText('URL or token');
    fireEvent.change(field, { target: { value: 'http://127.0.0.1:7420/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open the console' }));
    expect(screen.getByText(/That is not a URL with a token/)).toBeTruthy();
    fireEvent.change(field, { target: { value: `http://127.0.0.1:7420/?token=${token}` } });
    fireEvent.click(screen.getByRole('button', { name: 'Open the console' }));
    expect(opened).toEqual([`/?token=${token}`]);
  });

  it('is what the browser console shows when the server answers forbidden', async () => {
    // jsdom has no media queries; the theme asks whether the system is dark.
    window.matchMedia ??= (() => ({
      matches: false,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    })) as unknown as typeof window.matchMedia;
    const { client } = answeringClient(() => {
      throw new ContractError('forbidden', 'this needs the token');
    });
    render(<App client={client} kind="web" />);
    expect(await screen.findByPlaceholderText('URL or token')).toBeTruthy();
    expect(screen.queryByText(/Cannot reach the SETMOV backend/)).toBeNull();
  });
});
