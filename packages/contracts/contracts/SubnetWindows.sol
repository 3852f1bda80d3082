// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {SubnetBase} from "./SubnetBase.sol";
import {SubnetSettlement} from "./SubnetSettlement.sol";
import {ValidatorState, StoredCommitment, StoredAggregate, WeightCommit, KIND_MINER} from "./SubnetStorage.sol";
import {ISubnet, CheckpointView} from "./ISubnet.sol";

/// @title SubnetWindows
/// @notice What happens in windows and epochs: miners' commitments; validators' aggregates,
/// checkpoints and weight commits and reveals; and the epoch settlement, whose work runs in the
/// linked SubnetSettlement library.
abstract contract SubnetWindows is SubnetBase {
    using SafeCast for uint256;

    // ---------------------------------------------------------------- windows

    /// @inheritdoc ISubnet
    function commit(uint64 window, bytes32 digest, string calldata uri, bytes32 modelHash) external {
        uint16 uid = _requireUid(msg.sender);
        if ($.stats[uid].kind != KIND_MINER) revert Subnet__NotMiner(uid);
        uint256 opens = windowStartBlock(window);
        if (block.number < opens) revert Subnet__WindowNotStarted(window, opens);
        uint256 closes = deadline(window);
        if (block.number >= closes) revert Subnet__LateCommit(window, closes);
        _checkUri(uri, false);
        StoredCommitment storage c = $.commitments[window][uid];
        if (c.blockNumber != 0) revert Subnet__AlreadyCommitted(window, uid);

        c.digest = digest;
        c.modelHash = modelHash;
        c.hotkey = msg.sender;
        c.blockNumber = uint64(block.number);
        c.uri = uri;
        $.committedUids[window].push(uid);
        emit Committed(window, uid, msg.sender, digest, modelHash, uri);
    }

    /// @inheritdoc ISubnet
    /// @dev Allowed from deadline(window) on, once per validator and window. `uids` must be strictly
    /// ascending and every uid must have committed for `window`. An empty set is allowed.
    /// `normBound` must be the bits of a positive finite float32.
    function publishAggregate(
        uint64 window,
        uint16[] calldata uids,
        bytes32 aggregateHash,
        uint32 normBound,
        string calldata uri
    ) external {
        uint16 validatorUid = _requirePermittedValidator(msg.sender);
        uint256 closes = deadline(window);
        if (block.number < closes) revert Subnet__AggregateTooEarly(window, closes);
        // Zero, a negative sign, or an all-ones exponent (infinity, NaN) are not a clipping norm.
        if (normBound == 0 || normBound >= 0x7f800000) revert Subnet__BadNormBound(normBound);
        _checkUri(uri, true);
        if (uids.length > maxUids) revert Subnet__TooManyUids(uids.length, maxUids);
        for (uint256 k; k < uids.length; ++k) {
            uint16 uid = uids[k];
            if (k > 0 && uid <= uids[k - 1]) {
                if (uid == uids[k - 1]) revert Subnet__DuplicateUid(uid);
                revert Subnet__UidsNotAscending(uids[k - 1], uid);
            }
            if ($.commitments[window][uid].blockNumber == 0) revert Subnet__NoCommitment(window, uid);
        }
        StoredAggregate storage a = $.aggregates[window][msg.sender];
        if (a.blockNumber != 0) revert Subnet__AlreadyPublished(window, msg.sender);

        a.aggregateHash = aggregateHash;
        a.validator = msg.sender;
        a.validatorUid = validatorUid;
        a.blockNumber = uint40(block.number);
        a.normBound = normBound;
        a.uids = uids;
        a.uri = uri;
        $.aggregatePublishers[window].push(msg.sender);
        emit AggregatePublished(window, validatorUid, msg.sender, aggregateHash, normBound, uids, uri);
    }

    /// @inheritdoc ISubnet
    /// @dev `window` may not lie in the future. The latest checkpoint is the one with the highest
    /// window; among equal windows, the last published.
    function publishCheckpoint(uint64 window, bytes32 modelHash, string calldata uri) external {
        uint16 validatorUid = _requirePermittedValidator(msg.sender);
        uint256 opens = windowStartBlock(window);
        if (block.number < opens) revert Subnet__WindowNotStarted(window, opens);
        _checkUri(uri, false);
        if ($.latestCheckpoint.blockNumber == 0 || window >= $.latestCheckpoint.window) {
            $.latestCheckpoint = CheckpointView({
                window: window,
                validator: msg.sender,
                validatorUid: validatorUid,
                modelHash: modelHash,
                uri: uri,
                blockNumber: uint64(block.number)
            });
        }
        emit CheckpointPublished(window, validatorUid, msg.sender, modelHash, uri);
    }

    // ---------------------------------------------------------------- weights

    /// @inheritdoc ISubnet
    /// @dev At most once per weightsRateLimit blocks. The commit is for the current epoch and
    /// replaces an earlier commit of this epoch; none of this epoch can have been revealed yet.
    function commitWeights(bytes32 hash) external {
        uint16 uid = _requirePermittedValidator(msg.sender);
        ValidatorState storage v = $.validators[uid];
        if (v.commitBlock != 0 && block.number < uint256(v.commitBlock) + weightsRateLimit) {
            revert Subnet__WeightsRateLimited(uint64(v.commitBlock) + weightsRateLimit);
        }
        uint64 epoch = windowOf(block.number) / windowsPerEpoch;
        uint128 stakeNow = v.stake.toUint128();
        $.weightCommits[epoch][uid] = WeightCommit({
            hash: hash,
            hotkey: msg.sender,
            commitBlock: uint40(block.number),
            registrationBlock: $.neurons[uid].registrationBlock,
            stake: stakeNow,
            revealBlock: 0
        });
        v.commitBlock = uint40(block.number);
        emit WeightsCommitted(epoch, uid, msg.sender, hash, stakeNow);
    }

    /// @inheritdoc ISubnet
    /// @dev By the registration that committed, which needs no permit any more. `uids` and
    /// `weights` exactly as hashed: equal lengths, uids below uidCount, no duplicates. Entries
    /// on uids that are not miners registered before the commit are kept here and dropped by
    /// settlement, so a uid that changed hands since the commit never makes a reveal impossible.
    function revealWeights(uint64 epoch, uint16[] calldata uids, uint16[] calldata weights, bytes32 salt)
        external
    {
        uint16 uid = _requireUid(msg.sender);
        uint64 current = windowOf(block.number) / windowsPerEpoch;
        if (current <= epoch) revert Subnet__RevealTooEarly(epoch, epochEndBlock(epoch));
        if (current > epoch + 1) revert Subnet__RevealTooLate(epoch, epochEndBlock(epoch + 1));
        WeightCommit storage c = $.weightCommits[epoch][uid];
        if (c.hotkey != msg.sender || c.registrationBlock != $.neurons[uid].registrationBlock) {
            revert Subnet__NoWeightsCommit(epoch, uid);
        }
        if (c.revealBlock != 0) revert Subnet__WeightsAlreadyRevealed(epoch, uid);
        bytes32 revealed = keccak256(abi.encode(msg.sender, epoch, uids, weights, salt));
        if (revealed != c.hash) revert Subnet__RevealMismatch(epoch, c.hash, revealed);
        if (uids.length != weights.length) revert Subnet__LengthMismatch(uids.length, weights.length);
        uint256 n = $.uidCount;
        if (uids.length > n) revert Subnet__TooManyUids(uids.length, n);

        uint256[] memory words = new uint256[]((n + 15) / 16);
        uint256[] memory seen = new uint256[]((n + 255) / 256);
        for (uint256 k; k < uids.length; ++k) {
            uint256 target = uids[k];
            if (target >= n) revert Subnet__UidNotRegistered(uint16(target));
            uint256 bit = 1 << (target % 256);
            if (seen[target / 256] & bit != 0) revert Subnet__DuplicateUid(uint16(target));
            seen[target / 256] |= bit;
            words[target / 16] |= uint256(weights[k]) << ((target % 16) * 16);
        }
        mapping(uint256 => uint256) storage row = $.revealedWords[epoch][uid];
        for (uint256 w; w < words.length; ++w) {
            if (words[w] != 0) row[w] = words[w];
        }
        c.revealBlock = uint40(block.number);
        $.revealedUids[epoch].push(uid);
        emit WeightsRevealed(epoch, uid, msg.sender, uids, weights);
    }

    // ---------------------------------------------------------------- settlement

    /// @inheritdoc ISubnet
    /// @dev The work runs in the linked SubnetSettlement library, on this contract's storage.
    /// Opens at epochEndBlock(epoch + 1), once every reveal for `epoch` is in.
    function settleEpoch(uint64 epoch) external nonReentrant {
        uint64 expected = $.nextEpoch;
        if (epoch < expected) revert Subnet__EpochAlreadySettled(epoch);
        if (epoch > expected) revert Subnet__EpochOutOfOrder(epoch, expected);
        uint256 opens = epochEndBlock(epoch + 1);
        if (block.number < opens) revert Subnet__SettlementTooEarly(epoch, opens);
        SubnetSettlement.settle(
            $,
            SubnetSettlement.Config({
                token: address(token),
                owner: owner,
                maxValidatorPermits: maxValidatorPermits,
                kappaBps: kappaBps,
                bondsAlphaBps: bondsAlphaBps,
                validatorTakeBps: validatorTakeBps,
                emissionPerEpoch: emissionPerEpoch
            }),
            epoch
        );
    }

    // ---------------------------------------------------------------- internals: windows

    function _checkUri(string calldata uri, bool allowEmpty) internal view {
        uint256 length = bytes(uri).length;
        if ((length == 0 && !allowEmpty) || length > maxUriLength) revert Subnet__BadUriLength(length, maxUriLength);
    }
}
