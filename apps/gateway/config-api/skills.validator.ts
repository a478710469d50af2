import { registerDecorator, type ValidationOptions } from 'class-validator';

/** `{"billing": 3}`: skill names of letters, digits, dashes; levels are integers 0-10. */
export function IsSkillMap(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSkillMap',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must map skill names to integer levels 0-10`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(
            ([name, level]) =>
              /^[\w-]{1,50}$/.test(name) &&
              Number.isInteger(level) &&
              (level as number) >= 0 &&
              (level as number) <= 10,
          ),
      },
    });
}
