// Plain Node ESM consumer: resolves the package's `node` export.
export * from "iamport-keyin";
export { default } from "iamport-keyin";
