import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { InternalListener } from './internal-listener.js';
import { ListenerGuard } from './listener.guard.js';

/** The public and the internal listener: which routes each serves, and the internal token. */
@Module({
  providers: [InternalListener, { provide: APP_GUARD, useClass: ListenerGuard }],
  exports: [InternalListener],
})
export class ListenersModule {}
