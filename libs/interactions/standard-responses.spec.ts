import { expandTemplate } from './standard-responses';

describe('expandTemplate', () => {
  const values = { customerName: 'Jane Doe', customerHandle: 'jane', agentName: 'Alice' };

  it('fills every placeholder, spaces inside the braces allowed', () => {
    expect(expandTemplate('Hi {{customer.name}} ({{ customer.handle }}), {{agent.name}} here.', values)).toBe(
      'Hi Jane Doe (@jane), Alice here.',
    );
  });

  it('greets by handle without a name, by nothing without either', () => {
    expect(expandTemplate('Hi {{customer.name}}!', { ...values, customerName: null })).toBe('Hi @jane!');
    expect(expandTemplate('Hi {{customer.name}}!', { ...values, customerName: null, customerHandle: null })).toBe(
      'Hi !',
    );
    expect(expandTemplate('{{customer.handle}}', { ...values, customerHandle: '@jane' })).toBe('@jane');
  });

  it('leaves other braces alone', () => {
    expect(expandTemplate('{{order.id}} and {{customer.name}}', values)).toBe('{{order.id}} and Jane Doe');
  });
});
