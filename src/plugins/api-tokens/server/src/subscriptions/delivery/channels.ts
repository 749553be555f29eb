import type { DeliveryChannel } from '../types';

const CHANNEL_NAME = /^[a-z][a-z0-9-]*$/;

/** The delivery channels: `email` is built in, apps register more in their register(). */
const channels = () => {
  const registered = new Map<string, DeliveryChannel>();

  return {
    register(channel: DeliveryChannel) {
      if (typeof channel?.name !== 'string' || !CHANNEL_NAME.test(channel.name)) {
        throw new Error(`api-tokens: a delivery channel's name must match ${CHANNEL_NAME}`);
      }
      if (registered.has(channel.name)) {
        throw new Error(`api-tokens: delivery channel "${channel.name}" is already registered`);
      }
      if (typeof channel.send !== 'function') {
        throw new Error(`api-tokens: delivery channel "${channel.name}" needs a send() function`);
      }
      registered.set(channel.name, channel);
    },
    get: (name: string): DeliveryChannel | undefined => registered.get(name),
    list: () => [...registered.values()].map(({ name, label }) => ({ name, label })),
  };
};

export type ChannelsService = ReturnType<typeof channels>;
export default channels;
