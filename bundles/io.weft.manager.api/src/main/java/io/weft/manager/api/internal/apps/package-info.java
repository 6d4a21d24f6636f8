/** Tokens of API clients, which call the operations of edge apps through the Edge API of the nodes. */
package io.weft.manager.api.internal.apps;
