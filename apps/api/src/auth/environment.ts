export { samverkanEnvironment, type SamverkanEnvironment } from '@samverkan/shared/environment';
